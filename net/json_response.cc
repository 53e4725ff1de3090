#include "net/json_response.h"

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>

namespace sonde::net {

namespace http = boost::beast::http;
namespace json = boost::json;

Response JsonResponse(http::status status, const json::value& body) {
  Response res;
  res.result(status);
  res.set(http::field::content_type, "application/json");
  res.body() = json::serialize(body);
  res.body() += '\n';
  return res;
}

Response ErrorResponse(http::status status, std::string_view code, std::string_view message) {
  return JsonResponse(status, json::object{{"error", code}, {"message", message}});
}

}  // namespace sonde::net
