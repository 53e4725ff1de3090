// Eventually: polls `pred` every `every` until it holds or `within` passes;
// whether it held (it is asked once more at the deadline).
#pragma once

#include <chrono>
#include <thread>

namespace sonde::testing {

template <class Pred>
bool Eventually(Pred pred, std::chrono::milliseconds within,
                std::chrono::milliseconds every = std::chrono::milliseconds(20)) {
  const auto give_up = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < give_up) {
    if (pred()) return true;
    std::this_thread::sleep_for(every);
  }
  return pred();
}

}  // namespace sonde::testing
