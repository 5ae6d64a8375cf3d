// The per-request time limit: request handlers run their work (planning, searching,
// rendering) on this bounded pool and wait for it at most the request's time limit. Past it
// the request is answered 504 and its HTTP worker is free again; the computation itself has
// no cancellation points (the planner is pure arithmetic), so it finishes on the pool and its
// result is dropped. The pool has a fixed number of threads and a bounded queue: when both are
// full, new work is refused at once (503) instead of queueing without limit.
#ifndef SIZER_SERVE_COMPUTE_POOL_H_
#define SIZER_SERVE_COMPUTE_POOL_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sizer::serve {

class ComputePool {
 public:
  // `threads` >= 1 workers; at most `max_queued` tasks waiting for one.
  ComputePool(int threads, size_t max_queued);
  ~ComputePool();  // finishes the queued and running tasks, then joins
  ComputePool(const ComputePool&) = delete;
  ComputePool& operator=(const ComputePool&) = delete;

  enum class Outcome { kDone, kTimedOut, kOverloaded };
  // Runs `task` on the pool and waits for it up to `limit`. kOverloaded: the queue was full
  // and `task` was not run; kTimedOut: it did not finish in time (it still runs to its end,
  // with its effects on captured state, so capture by value or shared_ptr only).
  Outcome Run(std::function<void()> task, std::chrono::milliseconds limit);

  size_t queued() const;

 private:
  void Work();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  size_t max_queued_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sizer::serve

#endif  // SIZER_SERVE_COMPUTE_POOL_H_
