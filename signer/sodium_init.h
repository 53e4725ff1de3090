// libsodium must be initialised once before use. Every entry point of the
// signer that touches libsodium calls EnsureSodium(); after the first call it
// costs one atomic load. Thread-safe.
#pragma once

namespace sonde::signer {

// Aborts the process if libsodium cannot initialise (no usable randomness
// source): nothing the signer does is safe without it.
void EnsureSodium();

}  // namespace sonde::signer
