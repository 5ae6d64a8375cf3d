# The library's public API, as paths under lib/ (README "Library use"). SizerInstall.cmake
# installs these plus every project header they include, computed at configure time, and
# no other header: what is not reachable from here may change without notice.
set(SIZER_PUBLIC_HEADERS
  catalog/catalog.h # Catalog::Load: the model, hardware and runtime databases
  input/job.h       # LoadJobSpec / ParseJobSpec: a job file into a JobSpec
  plan/planner.h    # MakePlan: one admit/reject worksheet per candidate
  plan/verdict.h    # the typed verdicts and reasons of a worksheet (VerdictName, ReasonTexts)
  base/formula.h    # RenderFormula: a plan's formulas and messages as text
  gguf/reader.h     # GGUF reading: metadata and tensor table
  gguf/artifact.h   # a (possibly split) GGUF model file, memory-mapped
  runner/session.h  # the micro-runner: open a GGUF, prefill, decode
  base/data_dir.h   # where the installed databases are (ResolveDataDir)
)
