// The FROST round messages as they arrive from the wire
// (signer/frost/wire.h): every input goes to all three parsers. A message
// that parses must print (ToJson) to text that parses to the same message,
// and printing is a fixed point: ToJson(Parse(ToJson(m))) == ToJson(m).
#include "fuzz/fuzz_input.h"
#include "signer/frost/wire.h"

namespace {

namespace frost = sonde::signer::frost;

template <class Message, class Parse, class Same>
void RoundTrip(std::string_view text, Parse parse, Same same) {
  sonde::signer::Result<Message> m = parse(text);
  if (!m.ok()) {
    FUZZ_CHECK(!m.error().message.empty());
    return;
  }
  FUZZ_CHECK(!m->session.empty() && m->session.size() <= frost::kMaxSessionSize);
  const std::string printed = frost::ToJson(m.value());
  sonde::signer::Result<Message> back = parse(printed);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->session == m->session);
  FUZZ_CHECK(same(back.value(), m.value()));
  FUZZ_CHECK(frost::ToJson(back.value()) == printed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = sonde::fuzz::AsText(data, size);
  RoundTrip<frost::Round1Message>(text, frost::ParseRound1Message,
                                  [](const frost::Round1Message& a, const frost::Round1Message& b) {
                                    return a.commitment == b.commitment;
                                  });
  RoundTrip<frost::Round2Request>(text, frost::ParseRound2Request,
                                  [](const frost::Round2Request& a, const frost::Round2Request& b) {
                                    return a.package.message == b.package.message &&
                                           a.package.commitments.commitments() ==
                                               b.package.commitments.commitments();
                                  });
  RoundTrip<frost::Round2Response>(
      text, frost::ParseRound2Response,
      [](const frost::Round2Response& a, const frost::Round2Response& b) {
        return a.share.identifier == b.share.identifier && a.share.share == b.share.share;
      });
  return 0;
}
