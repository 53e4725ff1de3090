#include "service/api_token.h"

#include <fstream>

namespace sonde {

std::string ReadApiToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  return token;
}

}  // namespace sonde
