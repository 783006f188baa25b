#include "account/password_rules.hpp"

#include <filesystem>
#include <fstream>
#include <vector>

#include <shopcore/core/error.hpp>

#include "core/validate.hpp"

namespace shopcore::detail {
namespace {

constexpr const char* field = "password";
constexpr const char* file_field = "extra_common_passwords_file";
// Fewest digits a password must share with the phone's tail to count as the phone number:
// shorter runs are not a phone number in any numbering plan.
constexpr std::size_t min_phone_digits = 7;

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string_view trim(std::string_view line) {
    constexpr std::string_view blanks = " \t\r";
    const auto first = line.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    const auto last = line.find_last_not_of(blanks);
    return line.substr(first, last - first + 1);
}

std::string digits_of(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c >= '0' && c <= '9') out.push_back(c);
    }
    return out;
}

std::string_view without_leading_zeros(std::string_view digits) {
    const auto first = digits.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view{} : digits.substr(first);
}

// Bytes in the UTF-8 sequence that starts with `lead` (the text is already validated).
std::size_t sequence_length(char lead) {
    const auto b = static_cast<unsigned char>(lead);
    if (b < 0x80) return 1;
    if ((b & 0xE0) == 0xC0) return 2;
    if ((b & 0xF0) == 0xE0) return 3;
    return 4;
}

bool is_one_repeated_character(std::string_view password) {
    const std::string_view first = password.substr(0, sequence_length(password.front()));
    if (password.size() % first.size() != 0) return false;
    for (std::size_t i = first.size(); i < password.size(); i += first.size()) {
        if (password.substr(i, first.size()) != first) return false;
    }
    return true;
}

bool is_phone_number(std::string_view password, std::string_view phone) {
    if (phone.empty()) return false;
    if (password == phone) return true;
    if (phone.starts_with('+') && password == phone.substr(1)) return true;
    const std::string phone_digits = digits_of(phone);
    if (!phone_digits.empty() && password == phone_digits) return true;
    // A password written like a phone number ("0912 123 4567", "0098912...") that ends the
    // phone's digits: the national or international form of the same number.
    constexpr std::string_view phone_punctuation = "0123456789+-(). ";
    if (password.find_first_not_of(phone_punctuation) != std::string_view::npos) return false;
    const std::string password_digits = digits_of(password);
    const std::string_view tail = without_leading_zeros(password_digits);
    return tail.size() >= min_phone_digits && std::string_view(phone_digits).ends_with(tail);
}

}  // namespace

common_password_list::common_password_list() {
    const auto bundled = bundled_common_passwords();
    entries_.reserve(bundled.size());
    for (const std::string_view entry : bundled) entries_.insert(ascii_lower(entry));
}

void common_password_list::add_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw validation_error(file_field, "is not a readable file: " + path);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw validation_error(file_field, "cannot be opened: " + path);
    std::vector<std::string> read;
    std::string line;
    while (std::getline(in, line)) {
        const std::string_view entry = trim(line);
        if (entry.empty() || entry.starts_with("#!comment:")) continue;
        read.push_back(ascii_lower(entry));
    }
    if (in.bad()) throw validation_error(file_field, "could not be read: " + path);
    for (auto& entry : read) entries_.insert(std::move(entry));
}

bool common_password_list::contains(std::string_view password) const {
    return entries_.contains(ascii_lower(password));
}

void check_password_policy(std::string_view password, std::string_view phone,
                           const common_password_list& list) {
    // Counts code points and refuses invalid UTF-8 before anything else looks at the bytes.
    const std::size_t length = utf8_length(field, password);
    if (length < min_password_length) {
        throw validation_error(
            field, "must have at least " + std::to_string(min_password_length) + " characters");
    }
    if (length > max_password_length) {
        throw validation_error(
            field, "must have at most " + std::to_string(max_password_length) + " characters");
    }
    if (is_one_repeated_character(password)) {
        throw validation_error(field, "must not be one character repeated");
    }
    if (list.contains(password)) {
        throw validation_error(field, "is too common (found in a list of leaked passwords)");
    }
    if (is_phone_number(password, phone)) {
        throw validation_error(field, "must not be the phone number");
    }
}

}  // namespace shopcore::detail
