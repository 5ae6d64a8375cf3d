#include "serve/compute_pool.h"

#include <algorithm>

namespace sizer::serve {

ComputePool::ComputePool(int threads, size_t max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { Work(); });
}

ComputePool::~ComputePool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

size_t ComputePool::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tasks_.size();
}

void ComputePool::Work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

ComputePool::Outcome ComputePool::Run(std::function<void()> task, std::chrono::milliseconds limit) {
  // The waiter and the worker share the completion flag; whichever leaves last frees it.
  struct Done {
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
  };
  auto done = std::make_shared<Done>();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || tasks_.size() >= max_queued_) return Outcome::kOverloaded;
    tasks_.push_back([task = std::move(task), done] {
      task();
      {
        std::lock_guard<std::mutex> l(done->mutex);
        done->done = true;
      }
      done->cv.notify_all();
    });
  }
  ready_.notify_one();
  std::unique_lock<std::mutex> lock(done->mutex);
  const bool finished = done->cv.wait_for(lock, limit, [&] { return done->done; });
  return finished ? Outcome::kDone : Outcome::kTimedOut;
}

}  // namespace sizer::serve
