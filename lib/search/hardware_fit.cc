#include "search/hardware_fit.h"

#include <algorithm>

#include "search/ranking.h"

namespace sizer {

StatusOr<HardwareFitResult> SearchModels(const Catalog& catalog, const Question& question,
                                         const std::string& machine,
                                         const std::vector<std::string>& quants, int threads) {
  SIZER_ASSIGN_OR_RETURN(DeviceCount device, ParseDeviceCount(machine));
  HardwareFitResult out;
  out.machine = device.count > 1 ? std::to_string(device.count) + "x " + device.hardware_id
                                 : device.hardware_id;
  for (const ModelSpec& model : catalog.models()) {
    Question q = question;
    q.model = model.id;
    q.search_hardware = false;
    q.gpu = machine;
    q.on.reset();
    StatusOr<DraftedJob> draft = DraftJob(q, catalog);
    if (!draft.ok()) return draft.status();
    if (out.defaults.empty()) out.defaults = draft->defaults;
    SIZER_ASSIGN_OR_RETURN(JobSpec job, ParseDraftedJob(*draft, catalog));
    SearchSpace space;
    space.hardware = {device.hardware_id};
    space.counts = {device.count};
    space.quants = quants;
    space.threads = threads;
    SIZER_ASSIGN_OR_RETURN(SearchResult result, SearchHardware(job, catalog, space));
    out.plans += result.plans;
    if (result.admitted.empty()) {
      out.no_fit.push_back(model.id);
      continue;
    }
    ModelFit fit;
    fit.model_id = model.id;
    fit.params_total = model.params_total;
    fit.context_tokens = job.context_tokens;
    for (const SearchPoint& p : result.admitted) fit.formats.push_back(p.quant);
    fit.best = RankSearch(result, RankBy::kCost, 1).top.front().point;
    SIZER_RETURN_IF_ERROR(FillMaxContext(result, catalog, fit.best));
    out.fits.push_back(std::move(fit));
  }
  std::stable_sort(out.fits.begin(), out.fits.end(), [](const ModelFit& a, const ModelFit& b) {
    return a.params_total > b.params_total;
  });
  return out;
}

}  // namespace sizer
