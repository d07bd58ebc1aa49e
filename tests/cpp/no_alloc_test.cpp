// Once an experiment is built, training steps (with their evaluations, history records,
// probes and grid predictions) allocate nothing. Two independent witnesses:
//  - every malloc/calloc/realloc of the process is counted (operator new, std:: containers
//    and Eigen all end there);
//  - this binary is built with EIGEN_RUNTIME_NO_MALLOC and asserts on, so an Eigen
//    temporary inside the guarded region aborts with Eigen's own message.
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "bnlab/lab/experiment.hpp"

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void __libc_free(void*);
}

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

extern "C" {
void* malloc(std::size_t n) {
  if (counting) ++allocations;
  return __libc_malloc(n);
}
void* calloc(std::size_t count, std::size_t n) {
  if (counting) ++allocations;
  return __libc_calloc(count, n);
}
void* realloc(void* p, std::size_t n) {
  if (counting) ++allocations;
  return __libc_realloc(p, n);
}
void free(void* p) { __libc_free(p); }
}

namespace bnlab {
namespace {

// Counts the allocations made while fn runs, with Eigen's malloc guard on.
template <class F>
long allocations_during(F&& fn) {
  allocations = 0;
  Eigen::internal::set_is_malloc_allowed(false);
  counting = true;
  fn();
  counting = false;
  Eigen::internal::set_is_malloc_allowed(true);
  return allocations;
}

TEST(NoAllocation, TheCounterSeesAnAllocation) {
  // The witness works: a vector's buffer is counted.
  EXPECT_GE(allocations_during([] {
              std::vector<int> v(1000);
              v[1] = 2;
            }),
            1);
}

struct Case {
  const char* name;
  const char* config;
  int diverging_arms;
};

class StepAllocatesNothing : public ::testing::TestWithParam<Case> {};

TEST_P(StepAllocatesNothing, OverManyStepsWithRecordsEvaluationsAndGrids) {
  Experiment exp(parse_config(std::string(GetParam().config)));
  exp.step(1);  // the first step may size lazily-sized buffers; none should exist, but allow it
  std::vector<float> grid(static_cast<std::size_t>(exp.grid_info().size) * exp.grid_info().size);
  int diverged = 0;
  const long count = allocations_during([&] {
    exp.step(2200);  // recordEvery 1: more records than the history holds, so it compacts
    for (int a = 0; a < exp.arm_count(); ++a) diverged += exp.diverged(a);
    for (int a = 0; a < exp.arm_count(); ++a) {
      exp.evaluate(a, Split::Test);
      exp.grid(a, grid.data());
    }
  });
  EXPECT_EQ(count, 0) << GetParam().name;
  EXPECT_EQ(exp.steps(), 2201);
  EXPECT_GT(exp.history().stride(), 1) << "the history never compacted: raise the step count";
  EXPECT_EQ(diverged, GetParam().diverging_arms);
}

INSTANTIATE_TEST_SUITE_P(
    Configurations, StepAllocatesNothing,
    ::testing::Values(
        Case{"three arms, sigmoid, every probe",
             R"({"recordEvery": 1, "samples": 200, "gradientIcs": true,
                 "arms": ["plain", "bn-before", "bn-after"]})",
             0},
        Case{"relu, momentum, batch larger than the evaluation chunk",
             R"({"recordEvery": 1, "samples": 1000, "batchSize": 300, "activation": "relu",
                 "gradientIcs": true,
                 "init": "he", "momentum": 0.9, "learningRate": 0.01, "hidden": [8, 8],
                 "arms": ["bn-after", "plain"]})",
             0},
        Case{"the other arms: LayerNorm, noisy BN, dropout, every probe",
             R"({"recordEvery": 1, "samples": 200, "gradientIcs": true, "landscape": true,
                 "arms": ["ln-before", "bn-noisy", "dropout", "bn-after"]})",
             0},
        // A linear model under MSE at learning rate 2 diverges, so divergence is covered too.
        // With no hidden layer there is no BN layer: both arms are the same model and both
        // diverge.
        Case{"no hidden layer, mse, diverging", R"({"recordEvery": 1, "samples": 100,
             "hidden": [], "loss": "mse", "dataset": "xor", "learningRate": 2})",
             2}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

}  // namespace
}  // namespace bnlab
