// A fixed pool of worker threads for data-parallel loops (matrix-vector rows). The calling
// thread works too, so a pool of N threads has N - 1 workers.
#ifndef SIZER_BASE_THREAD_POOL_H_
#define SIZER_BASE_THREAD_POOL_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sizer {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls fn(begin, end) over [0, n) split into one contiguous range per thread, and returns
  // when every range is done. Not reentrant.
  void ParallelFor(int64_t n, const std::function<void(int64_t, int64_t)>& fn);

 private:
  void WorkerLoop(int index);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_;
  std::condition_variable done_;
  const std::function<void(int64_t, int64_t)>* task_ = nullptr;
  int64_t n_ = 0;
  uint64_t generation_ = 0;
  int pending_ = 0;
  bool stop_ = false;
};

// Physical cores of this machine (hyper-threads counted once); at least 1.
int PhysicalCoreCount();

}  // namespace sizer

#endif  // SIZER_BASE_THREAD_POOL_H_
