// ClassifyCurlFailure: the same curl code is the target's fault or sonde's
// depending on how far the transfer got. The hostile suite shows each row on
// a real transfer; this pins the table, including codes that need a newer
// curl (CURLE_TOO_LARGE) or a fault that is hard to cause (ENOBUFS).
#include <gtest/gtest.h>

#include <cerrno>

#include "probes/http_client.h"

namespace sonde {
namespace {

TEST(ClassifyCurlFailureTest, ContextDecidesWhoseFaultItIs) {
  CurlFailureContext before_connect;
  CurlFailureContext connected{.connected = true};
  CurlFailureContext answering{.connected = true, .response_started = true};
  CurlFailureContext out_of_fds{.socket_errno = EMFILE};
  // libcurl's CURLcode values (stable ABI).
  EXPECT_EQ(ClassifyCurlFailure(7, before_connect), Reason::kConnect);  // COULDNT_CONNECT
  EXPECT_EQ(ClassifyCurlFailure(7, out_of_fds), Reason::kInternal);
  EXPECT_EQ(ClassifyCurlFailure(7, {.socket_errno = ENFILE}), Reason::kInternal);
  EXPECT_EQ(ClassifyCurlFailure(7, {.socket_errno = ENOBUFS}), Reason::kInternal);
  EXPECT_EQ(ClassifyCurlFailure(7, {.socket_errno = ENOMEM}), Reason::kInternal);
  EXPECT_EQ(ClassifyCurlFailure(7, {.socket_errno = EACCES}), Reason::kConnect);
  EXPECT_EQ(ClassifyCurlFailure(27, before_connect), Reason::kInternal);  // OUT_OF_MEMORY
  EXPECT_EQ(ClassifyCurlFailure(27, connected), Reason::kInvalidResponse);
  EXPECT_EQ(ClassifyCurlFailure(100, connected), Reason::kInvalidResponse);  // TOO_LARGE
  EXPECT_EQ(ClassifyCurlFailure(56, connected), Reason::kConnect);           // RECV_ERROR
  EXPECT_EQ(ClassifyCurlFailure(56, answering), Reason::kInvalidResponse);
  EXPECT_EQ(ClassifyCurlFailure(55, answering), Reason::kInvalidResponse);  // SEND_ERROR
  EXPECT_EQ(ClassifyCurlFailure(1, before_connect), Reason::kInternal);     // UNSUPPORTED_PROTOCOL
  EXPECT_EQ(ClassifyCurlFailure(1, connected), Reason::kInvalidResponse);
  EXPECT_EQ(ClassifyCurlFailure(28, answering), Reason::kTimeout);
  // Our CA file would not load: missing (tls, as ever) or for want of a
  // descriptor right after the socket took the last one (internal).
  CurlFailureContext at_the_limit{.connected = true, .last_descriptor = true};
  EXPECT_EQ(ClassifyCurlFailure(77, connected), Reason::kTls);  // SSL_CACERT_BADFILE
  EXPECT_EQ(ClassifyCurlFailure(77, at_the_limit), Reason::kInternal);
  EXPECT_EQ(ClassifyCurlFailure(58, at_the_limit), Reason::kInternal);  // SSL_CERTPROBLEM
  // A verdict on the target's certificate stays tls whatever our state.
  EXPECT_EQ(ClassifyCurlFailure(60, at_the_limit), Reason::kTls);  // PEER_FAILED_VERIFICATION
}

}  // namespace
}  // namespace sonde
