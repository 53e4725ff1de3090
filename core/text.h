// Bounding text that comes from a target. A target decides what it answers
// (a 3 MB JSON-RPC error message, a body of binary junk), and that text
// reaches the log, the result store, the in-memory ring of recent failures
// and the API: each copy must be bounded, or a hostile target grows sonde's
// memory and disk without limit. Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace sonde {

// What a run's detail may hold: room for a reason and the target's own words.
inline constexpr size_t kMaxDetailBytes = 1024;
// How much of a body an error message quotes.
inline constexpr size_t kBodyExcerptBytes = 200;

// `text` cut to at most `max` bytes, at a UTF-8 character boundary, with
// "... (N bytes)" saying how long it was; unchanged when it fits.
std::string Bounded(std::string text, size_t max = kMaxDetailBytes);

// A one-line excerpt of a body for a message: control characters become
// spaces, runs of spaces collapse, at most `max` bytes (then "...").
std::string Excerpt(std::string_view body, size_t max = kBodyExcerptBytes);

}  // namespace sonde
