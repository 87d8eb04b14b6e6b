#pragma once
/// @file
/// `edgeperf::io::io_error`: the one exception type thrown at the io/
/// boundary when an input file (Hugging Face config.json, device or runtime
/// profile JSON, CSV tables, measurement files) cannot be read or does not
/// hold what it should. It carries the file, the offending field and
/// the bare message separately, and its `what()` joins them as
/// `<file>: field '<field>': <message>` (or `<file>: <message>` when no single
/// field is at fault), e.g.
/// `config.json: field 'num_attention_heads': expected a positive integer, got -4`.

#include <stdexcept>
#include <string>
#include <utility>

namespace edgeperf::io {

/// A malformed or unreadable input file. Core code never throws this; it
/// reports expected failures as `result` values.
class io_error : public std::runtime_error {
 public:
  /// `file`: path or name of the input; `field`: dotted field path inside it
  /// (empty if none); `message`: what was expected and what was found.
  io_error(std::string file, std::string field, std::string message)
      : std::runtime_error(compose(file, field, message)),
        file_(std::move(file)),
        field_(std::move(field)),
        message_(std::move(message)) {}

  /// The file (path or source name) the error is about.
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  /// The dotted field path (`text_config.hidden_size`); empty for file-level errors.
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  /// The message without the file/field prefix.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  static std::string compose(const std::string& file, const std::string& field,
                             const std::string& message) {
    std::string s = file.empty() ? std::string("<input>") : file;
    if (!field.empty()) s += ": field '" + field + "'";
    return s + ": " + message;
  }

  std::string file_;
  std::string field_;
  std::string message_;
};

}  // namespace edgeperf::io
