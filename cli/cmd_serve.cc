// sizer serve: the planner as a local HTTP service (lib/serve): the JSON API over
// lib/service, /healthz, /metrics and the planner page. Safe to leave running: loopback by
// default, model files only under --models-dir, a body limit, a per-request time limit and a
// bounded pool; SIGINT/SIGTERM stop it after the requests in flight.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "base/units.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "report/template_render.h"
#include "serve/app.h"
#include "serve/bind_policy.h"
#include "serve/planner_page.h"
#include "serve/server.h"

namespace sizer::cli {
namespace {

namespace fs = std::filesystem;

po::options_description ServeCommandOptions() {
  po::options_description options(
      "usage: sizer serve [--host 127.0.0.1] [--port 8080] [--models-dir DIR] [options]\n\n"
      "Serves the planner over HTTP: the same answers as the commands' --json, and a planner\n"
      "page for a browser at http://HOST:PORT/.\n\n"
      "routes:\n"
      "  POST /v1/plan        a job (JSON or YAML, as a job file)    -> sizer plan JOB --json\n"
      "  POST /v1/fit         {\"model\": ..., \"context\": \"32k\", \"on\": \"rtx-4090\", ...} (fit's\n"
      "                       long flags, '-' -> '_')                -> sizer fit ... --json\n"
      "  POST /v1/recommend   recommend's flags as JSON             -> sizer recommend ... --json\n"
      "  POST /v1/report      a job                                  -> the HTML report\n"
      "  GET  /v1/models, /v1/models/{id}, /v1/hardware, /v1/runtimes  the databases\n"
      "  GET  /healthz        {\"status\": \"ok\"}\n"
      "  GET  /metrics        Prometheus text: requests, errors, latency by route; in flight\n"
      "  GET  /               the planner page (POST /v1/view renders its result fragment)\n"
      "Errors are {\"error\": \"<the CLI's one-line message>\"} with 400 (bad input), 404 (unknown\n"
      "id, file or route), 405 (wrong method), 413 (body too large), 503 (busy), 504 (over the\n"
      "time limit) or 500.\n\n"
      "safety: the API has no authentication. It listens on loopback unless --host says\n"
      "otherwise, and then prints a warning. Requests may name model files only under\n"
      "--models-dir (no absolute paths, no '..', no symlink leading out); nothing else on disk\n"
      "is read or written. Bodies over --max-body-bytes get 413; a request's work is given\n"
      "--request-timeout-s (then 504, and its worker is free again); --threads connections are\n"
      "served at once, 4x that many wait, and past that the server answers 503 at once.\n"
      "SIGINT or SIGTERM stops it after the requests in flight.\n\n"
      "example:\n"
      "  sizer serve --models-dir ~/models &\n"
      "  curl -s localhost:8080/v1/fit -d '{\"model\": \"llama-3.1-8b\", \"on\": \"rtx-4090\"}'\n"
      "  xdg-open http://127.0.0.1:8080/\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("host", po::value<std::string>()->default_value("127.0.0.1")->value_name("ADDR"),
       "the address to listen on (not loopback: a warning, the API has no authentication)")
      ("port", po::value<int>()->default_value(8080)->value_name("N"), "the port; 0 picks a free one")
      ("models-dir", po::value<std::string>()->value_name("DIR"),
       "the directory whose .gguf files requests may name (default: none may be named)")
      ("threads", po::value<int>()->value_name("N"),
       "connections served at once, and compute threads (default: the CPU count, at least 4)")
      ("max-body-bytes", po::value<std::string>()->default_value("1MiB")->value_name("SIZE"),
       "the largest request body (\"1MiB\", \"65536\"); larger ones get 413")
      ("request-timeout-s", po::value<double>()->default_value(30)->value_name("S"),
       "the time limit of one request's work and of each socket read/write");
  AddDbOption(options);
  return options;
}

struct ServeFlags {
  serve::ServeOptions server;
  std::string models_dir;
};

StatusOr<ServeFlags> ReadFlags(const po::variables_map& vm) {
  ServeFlags f;
  f.server.host = vm["host"].as<std::string>();
  f.server.port = vm["port"].as<int>();
  if (f.server.port < 0 || f.server.port > 65535) {
    return Status::InvalidArgument("--port: " + std::to_string(f.server.port) + " is not a port (0..65535)");
  }
  const int cpus = static_cast<int>(std::thread::hardware_concurrency());
  f.server.threads = vm.count("threads") ? vm["threads"].as<int>() : std::max(4, cpus);
  if (f.server.threads < 1 || f.server.threads > 1024) {
    return Status::InvalidArgument("--threads: expected 1..1024, got " + std::to_string(f.server.threads));
  }
  f.server.max_queued_connections = 4 * static_cast<size_t>(f.server.threads);
  StatusOr<double> body = ParseBytes(vm["max-body-bytes"].as<std::string>());
  if (!body.ok()) return Status::InvalidArgument("--max-body-bytes: " + body.status().message());
  if (*body < 1 || *body > 1e9) return Status::InvalidArgument("--max-body-bytes: expected 1 byte .. 1 GB");
  f.server.max_body_bytes = static_cast<size_t>(*body);
  const double timeout_s = vm["request-timeout-s"].as<double>();
  if (!std::isfinite(timeout_s) || timeout_s <= 0 || timeout_s > 3600) {
    return Status::InvalidArgument("--request-timeout-s: expected a number of seconds in (0, 3600]");
  }
  f.server.request_timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  f.models_dir = StringOption(vm, "models-dir");
  if (!f.models_dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(f.models_dir, ec)) {
      return Status::NotFound("--models-dir: " + f.models_dir + " is not a directory");
    }
  }
  return f;
}

// The page's templates: reports/templates under the data root (FindTemplateDir's rules).
StatusOr<std::string> PlannerTemplateDir(const std::string& db_flag) {
  SIZER_ASSIGN_OR_RETURN(std::string dir, FindTemplateDir("", db_flag, ReportFormat::kHtml));
  std::error_code ec;
  if (!fs::exists(fs::path(dir) / serve::kPlannerPageTemplate, ec)) {
    return Status::NotFound(dir + ": no " + serve::kPlannerPageTemplate + " (the planner page)");
  }
  return dir;
}

// Stops `server` on SIGINT/SIGTERM (blocked in every thread, taken here with sigtimedwait) or
// when `done` is set because the server stopped by itself.
void WaitForSignal(serve::Server& server, const std::atomic<bool>& done) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  const timespec tick{0, 200 * 1000 * 1000};
  while (!done.load()) {
    if (sigtimedwait(&set, nullptr, &tick) > 0) {
      std::cerr << "sizer serve: stopping (finishing the requests in flight)\n";
      server.Stop();
      return;
    }
  }
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  po::options_description options = ServeCommandOptions();
  auto vm = ParseOptions("serve", args, options, po::positional_options_description());
  if (!vm) return kExitBadInput;
  if (vm->count("help")) {
    std::cout << options << "\n";
    return kExitOk;
  }
  StatusOr<ServeFlags> flags = ReadFlags(*vm);
  if (!flags.ok()) return ReportError(flags.status(), "serve");
  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  StatusOr<std::string> templates = PlannerTemplateDir(StringOption(*vm, "db"));
  if (!templates.ok()) return ReportError(templates.status(), "serve");

  // Block the stop signals before any thread starts (the compute pool starts with the App),
  // so every thread inherits the mask and only WaitForSignal receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  serve::AppConfig config;
  config.service.catalog = &*catalog;
  config.service.models_dir = flags->models_dir;
  config.service.search_threads = 1;  // parallelism comes from concurrent requests
  config.template_dir = *templates;
  config.request_timeout = flags->server.request_timeout;
  config.compute_threads = flags->server.threads;
  config.compute_queue = flags->server.max_queued_connections;
  serve::App app(config);
  serve::AddSizerRoutes(app);

  serve::Server server(app, flags->server);
  if (Status bound = server.Bind(); !bound.ok()) return ReportError(bound, "serve");
  if (auto warning = serve::BindWarning(flags->server.host, server.port())) std::cerr << *warning << "\n";
  std::cerr << "sizer serve: listening on http://" << flags->server.host << ":" << server.port()
            << "/ (models: " << (flags->models_dir.empty() ? "none" : flags->models_dir) << ")"
            << std::endl;
  std::atomic<bool> done{false};
  std::thread signals([&] { WaitForSignal(server, done); });
  server.Run();
  done = true;
  signals.join();
  std::cerr << "sizer serve: stopped\n";
  return kExitOk;
}

}  // namespace sizer::cli
