#include "service/api_token.h"

#include <sodium.h>

#include <fstream>

namespace sonde {

std::string ReadApiToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  return token;
}

std::optional<Refusal> CheckBearer(const std::string& token_file, const std::string& authorization) {
  if (token_file.empty()) {
    return Refusal{403, "no [service] api_token_file is configured: drills, heal and reload over "
                        "HTTP are off"};
  }
  const std::string token = ReadApiToken(token_file);
  if (token.empty()) return Refusal{500, "the api token file " + token_file + " is empty or unreadable"};
  const std::string expected = "Bearer " + token;
  // Same length first (the length is no secret), then every byte compared
  // whatever the first difference, so timing does not reveal a prefix.
  if (authorization.size() != expected.size() ||
      sodium_memcmp(authorization.data(), expected.data(), expected.size()) != 0) {
    return Refusal{401, "missing or wrong bearer token (Authorization: Bearer ...)"};
  }
  return std::nullopt;
}

}  // namespace sonde
