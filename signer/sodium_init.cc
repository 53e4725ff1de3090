#include "signer/sodium_init.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace sonde::signer {

void EnsureSodium() {
  // A function-local static is initialised exactly once, even with threads.
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("sonde: libsodium failed to initialise\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace sonde::signer
