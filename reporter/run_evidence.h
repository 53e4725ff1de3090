// A run's evidence (JourneyResult::evidence: a tx hash, a block, an MPC
// signature and its message) as the reporter keeps and shows it: bounded,
// stored as a compact JSON object, and printed for terminals.
//
// The store's form is a JSON object whose members are in the declared order,
// e.g. {"tx_hash":"0x12ab","block":"0x1a"}, and the empty string (not "{}")
// when there is no evidence: rows written before evidence existed hold ''
// too, and the hash chain leaves '' out of a row's encoding (row_chain.h).
//
// Thread-safety: plain functions.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sonde {

// (name, value) pairs in the order the journey declared them.
using Evidence = std::vector<std::pair<std::string, std::string>>;

// True when `name` is one or more of [A-Za-z0-9_.-].
bool IsEvidenceName(std::string_view name);

// `in` within the limits of scenarios/journey_result.h: entries whose name is
// not an evidence name, or repeats an earlier one, dropped; at most
// kMaxEvidence entries (the first ones); each value cut to kMaxEvidenceValue
// bytes at a UTF-8 character boundary, and any byte that is not part of a
// valid UTF-8 character replaced with '?', so the value is valid JSON text.
// Idempotent.
Evidence BoundEvidence(const Evidence& in);

// The stored form (see above): "" when `e` is empty. Entries whose name
// repeats an earlier one are left out (a JSON object has one of each).
std::string EvidenceToJson(const Evidence& e);
// Back from the stored form. "" reads as empty, and so does text that is not
// a JSON object of strings (members of other types are skipped).
Evidence EvidenceFromJson(std::string_view json);

// As a JSON object for APIs and reports (an empty object when none).
boost::json::object EvidenceObject(const Evidence& e);

// One line for terminals: `tx_hash=0x12ab block=0x1a`. A value that is
// empty or holds a space, '=', a quote, a backslash or a control character
// is written as a JSON string ("a b"), so the line splits back unambiguously.
// "" when `e` is empty.
std::string EvidenceText(const Evidence& e);

}  // namespace sonde
