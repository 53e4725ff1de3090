// The bearer token of the daemon's mutating endpoints — drills, heal and
// POST /-/reload ([service] api_token_file): the file's first line, without
// trailing spaces or CR. Read by the daemon at every request (so a new token
// takes without a restart) and by `sonde drill --daemon`.
#pragma once

#include <optional>
#include <string>

namespace sonde {

// "" when the file is missing, unreadable or empty.
std::string ReadApiToken(const std::string& path);

// Why a request with this Authorization header may not mutate: an HTTP
// status and a message (403 when no token file is configured, 500 when it
// cannot be read, 401 when the header is missing or wrong); nullopt when it
// may. `token_file` is [service] api_token_file ("" when unset). The token is
// compared in constant time.
struct Refusal {
  int status = 0;
  std::string message;
};
std::optional<Refusal> CheckBearer(const std::string& token_file, const std::string& authorization);

}  // namespace sonde
