// shopctl: the command-line tool of shopcore (docs/tools/shopctl.md). It imports a catalog from
// CSV, creates admins, lists users, and rebuilds and queries the recommendation index, acting as
// actor::system().
//
//   shopctl --db sqlite:shop.db import-catalog catalog.csv
//   shopctl --db sqlite:shop.db users --sort name --desc

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <shopcore/recommend/recommender.hpp>
#include <shopcore/shop.hpp>
#include <shopcore/version.hpp>

namespace {

using namespace shopcore;

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;  // a shopcore error, a bad input file, a missing shop
constexpr int exit_usage = 2;    // the command line itself (CLI11's errors)

/// A failure of the tool itself (not of shopcore): printed as "shopctl: <message>", exit 1.
class tool_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// ---- text helpers ---------------------------------------------------------------------------

std::string_view trimmed(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// A non-negative decimal integer without sign, spaces or grouping; none otherwise.
std::optional<std::int64_t> parse_count(std::string_view s) {
    if (!all_digits(s) || s.size() > 18) return std::nullopt;
    std::int64_t v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

/// The number of code points of valid UTF-8 text; none for malformed text.
std::optional<std::size_t> code_points(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80           ? 1
                                : (c >> 5) == 0x6  ? 2
                                : (c >> 4) == 0xE  ? 3
                                : (c >> 3) == 0x1E ? 4
                                                   : 0;
        if (len == 0 || i + len > s.size()) return std::nullopt;
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return std::nullopt;
        }
        i += len;
    }
    return n;
}

/// The slug shopcore derives from a name when none is given (docs/concepts/catalog.md: ASCII
/// letters and digits lower-cased, every other run of characters one '-'). The import computes
/// slugs itself so that it can pick a free one before writing anything.
std::string slug_of(std::string_view text) {
    std::string out;
    bool dash = false;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (letter || (c >= '0' && c <= '9')) {
            if (dash && !out.empty()) out.push_back('-');
            dash = false;
            out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
        } else {
            dash = true;
        }
        if (out.size() >= 200) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

bool is_valid_slug(std::string_view s) {
    if (s.empty() || s.size() > 200 || s.front() == '-' || s.back() == '-') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

/// "2026-11-29T12:34:56Z": the ISO 8601 form to the second.
std::string to_second(const timestamp& t) {
    std::string s = t.to_iso8601();
    if (s.size() == 27 && s[19] == '.') return s.substr(0, 19) + "Z";
    return s;
}

// ---- CSV (RFC 4180) ---------------------------------------------------------------------------

/// One record and the line of the file it starts on (1-based).
struct csv_record {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

/// A malformed record; the reader has moved on to the next line.
class csv_syntax_error : public std::runtime_error {
public:
    csv_syntax_error(std::size_t line, const std::string& message)
        : std::runtime_error(message), line_(line) {}
    [[nodiscard]] std::size_t line() const noexcept { return line_; }

private:
    std::size_t line_;
};

/// Reads RFC 4180 CSV: fields separated by ',', records by CRLF or LF, a field in double quotes
/// may hold ',', line breaks and "" for a quote. A UTF-8 byte-order mark is skipped. Strict
/// where being lenient would guess: a quote inside an unquoted field and text after a closing
/// quote are errors.
class csv_reader {
public:
    explicit csv_reader(std::string text) : text_(std::move(text)) {
        if (text_.rfind("\xEF\xBB\xBF", 0) == 0) pos_ = 3;
    }

    /// The next record into `r`; false at the end of the text.
    /// @throws csv_syntax_error (reading can go on with the next line).
    bool next(csv_record& r) {
        if (pos_ >= text_.size()) return false;
        r.line = line_;
        r.fields.clear();
        for (;;) {
            std::string field;
            if (pos_ < text_.size() && text_[pos_] == '"') {
                read_quoted(r.line, field);
            } else {
                read_plain(field);
            }
            r.fields.push_back(std::move(field));
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            end_line();
            return true;
        }
    }

private:
    void read_quoted(std::size_t start, std::string& field) {
        ++pos_;
        for (;;) {
            if (pos_ >= text_.size()) fail(start, "a quoted field is not closed");
            const char c = text_[pos_++];
            if (c == '"') {
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    field.push_back('"');
                    ++pos_;
                    continue;
                }
                break;
            }
            if (c == '\n') ++line_;
            field.push_back(c);
        }
        if (!at_field_end()) {
            fail(line_,
                 "text after a closing quote (a quote inside a quoted field is written \"\")");
        }
    }

    void read_plain(std::string& field) {
        while (!at_field_end()) {
            if (text_[pos_] == '"') {
                fail(line_,
                     "a quote inside an unquoted field (quote the whole field and write the "
                     "quote as \"\")");
            }
            field.push_back(text_[pos_++]);
        }
    }

    [[nodiscard]] bool at_field_end() const {
        if (pos_ >= text_.size()) return true;
        const char c = text_[pos_];
        if (c == ',' || c == '\n') return true;
        return c == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n');
    }

    void end_line() {
        if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '\n') {
            ++pos_;
            ++line_;
        }
    }

    [[noreturn]] void fail(std::size_t line, const std::string& message) {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        end_line();
        throw csv_syntax_error(line, message);
    }

    std::string text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

/// A field as RFC 4180 writes it: quoted when it holds ',', '"' or a line break.
std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

// ---- output -------------------------------------------------------------------------------

enum class output_format { table, csv };

output_format format_named(const std::string& name) {
    return name == "csv" ? output_format::csv : output_format::table;
}

/// Columns padded to their widest cell (counted in code points); `right` columns are aligned
/// right. The last column is not padded.
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows,
                 const std::set<std::size_t>& right = {}) {
    const auto width = [](const std::string& s) { return code_points(s).value_or(s.size()); };
    std::vector<std::size_t> widths(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) widths[c] = width(header[c]);
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width(row[c]));
    }
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(widths[c] - width(cells[c]), ' ');
            if (c > 0) text += "  ";
            if (right.count(c) != 0) {
                text += pad + cells[c];
            } else {
                text += cells[c];
                if (c + 1 < cells.size()) text += pad;
            }
        }
        out << text << '\n';
    };
    line(header);
    for (const auto& row : rows) line(row);
}

void print_csv(std::ostream& out, const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows) {
    for (const auto* row : {&header}) {
        for (std::size_t c = 0; c < row->size(); ++c) out << (c ? "," : "") << csv_field((*row)[c]);
        out << '\n';
    }
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << csv_field(row[c]);
        out << '\n';
    }
}

// ---- progress -----------------------------------------------------------------------------

enum class progress_style { bar, lines, none };

/// Reports a long job on stderr: a bar redrawn in place with '\r' (on a terminal), or a plain
/// line at most every 10 % ("rebuild: 30% (300000/1000000)") for logs and pipes. A transient
/// bar (one a query draws while it builds the index) is wiped when done; others stay.
class progress_printer {
public:
    progress_printer(std::string label, progress_style style, bool transient)
        : label_(std::move(label)), style_(style), transient_(transient) {}

    void update(std::size_t done, std::size_t total) {
        const std::size_t percent = done >= total ? 100 : done * 100 / total;
        if (style_ == progress_style::bar) {
            if (drawn_ && percent == last_percent_) return;
            constexpr std::size_t bar_width = 30;
            const std::size_t filled = percent * bar_width / 100;
            std::ostringstream bar;
            bar << label_ << " [" << std::string(filled, '#')
                << std::string(bar_width - filled, '.') << "] " << std::setw(3) << percent << "% ("
                << done << '/' << total << ')';
            const std::string text = bar.str();
            std::cerr << '\r' << text
                      << std::string(width_ > text.size() ? width_ - text.size() : 0, ' ')
                      << std::flush;
            width_ = std::max(width_, text.size());
            drawn_ = true;
        } else if (style_ == progress_style::lines) {
            const auto tenth = static_cast<long long>(percent / 10);
            if (tenth <= last_tenth_) return;
            last_tenth_ = tenth;
            std::cerr << label_ << ": " << percent << "% (" << done << '/' << total << ")\n";
        }
        last_percent_ = percent;
    }

    /// Ends the bar: its line stays, or a transient one is wiped (success or failure alike).
    void finish() {
        if (drawn_ && transient_) {
            std::cerr << '\r' << std::string(width_, ' ') << '\r' << std::flush;
        } else if (drawn_) {
            std::cerr << '\n';
        }
        drawn_ = false;
    }

    ~progress_printer() { finish(); }
    progress_printer(const progress_printer&) = delete;
    progress_printer& operator=(const progress_printer&) = delete;

    /// A callback for recommender::rebuild that reports to this printer.
    rebuild_progress callback() {
        return [this](std::size_t done, std::size_t total) { update(done, total); };
    }

private:
    std::string label_;
    progress_style style_;
    bool transient_;
    bool drawn_ = false;
    std::size_t width_ = 0;
    std::size_t last_percent_ = 0;
    long long last_tenth_ = -1;
};

// ---- opening the shop -----------------------------------------------------------------------

struct global_options {
    std::string db;
    std::string currency;      // empty: USD for a new shop, else the shop's own
    std::string country_code;  // for phone numbers written without '+' or "00"
    std::string progress = "auto";
};

/// `db` as shop::open takes it: a URL ("sqlite:PATH", "postgresql://...", "mysql://..."), or a
/// plain path, which means an SQLite file.
std::string shop_url(const std::string& db) {
    if (db.rfind("sqlite:", 0) == 0 || db.find("://") != std::string::npos) return db;
    return "sqlite:" + db;
}

progress_style style_of(const global_options& g, bool explicit_job) {
    if (g.progress == "bar") return progress_style::bar;
    if (g.progress == "lines") return progress_style::lines;
    if (g.progress == "none") return progress_style::none;
    if (isatty(STDERR_FILENO) != 0) return progress_style::bar;
    return explicit_job ? progress_style::lines : progress_style::none;
}

enum class opening { may_create, existing_only };

shop open_shop(const global_options& g, opening mode) {
    const std::string url = shop_url(g.db);
    if (mode == opening::existing_only && url.rfind("sqlite:", 0) == 0) {
        const std::string path = url.substr(7);
        if (path != ":memory:" && !std::filesystem::exists(path)) {
            throw tool_error("no shop at '" + path +
                             "' (import-catalog and create-admin create a new one)");
        }
    }
    shop_options options;
    // Without --currency: an existing shop in its own currency, a new one in USD.
    options.currency = g.currency.empty() ? "USD" : g.currency;
    options.use_recorded_currency = g.currency.empty();
    options.accounts.default_country_code = g.country_code;
    // Each command that needs the recommendation index builds it itself, with progress.
    options.recommendations.build_at_open = false;
    return shop::open(url, options);
}

// ---- import-catalog -------------------------------------------------------------------------

struct import_options {
    std::string file;
    std::string existing = "update";  // or "skip"
    bool skip_bad = false;
    bool dry_run = false;
};

constexpr std::array<std::string_view, 9> catalog_columns = {
    "sku", "name", "price", "stock", "weight_grams", "category", "description", "sale", "slug"};

/// A bad row: where, and why.
struct row_problem {
    std::size_t line = 0;
    std::string message;
};

/// What the import will do with one row.
struct row_plan {
    enum class action { create, update, unchanged, skip };
    std::size_t line = 0;
    std::string sku;
    action what = action::create;
    new_product fresh;       // action::create
    product_id existing;     // action::update
    product_update changes;  // action::update
    /// A category the row's product goes into that the import creates first ("Tea/Green").
    std::optional<std::string> new_category;
};

/// A category the import will create.
struct category_plan {
    std::string path;  // "Tea/Green"
    std::string name;  // "Green"
    std::string slug;
    std::optional<std::string> parent_path;  // a planned parent, or
    std::optional<category_id> parent;       // an existing one (or none for a root)
};

/// The category tree as the import sees it: existing paths, and paths it will create.
class category_resolver {
public:
    explicit category_resolver(const std::vector<category>& all) {
        std::map<std::int64_t, const category*> by_id;
        for (const category& c : all) by_id[c.id.value()] = &c;
        for (const category& c : all) {
            slugs_.insert(c.slug);
            std::string path = c.name;
            for (auto p = c.parent; p;) {
                const auto it = by_id.find(p->value());
                if (it == by_id.end()) break;
                path.insert(0, it->second->name + "/");
                p = it->second->parent;
            }
            existing_.emplace(path, c.id);
        }
    }

    /// Splits and trims "Tea / Green" into its normalised path "Tea/Green".
    /// @throws tool_error for an empty segment or an overlong name.
    static std::string normalised(std::string_view text) {
        std::string path;
        std::size_t start = 0;
        for (;;) {
            const std::size_t slash = text.find('/', start);
            const std::string_view part = trimmed(
                text.substr(start, slash == std::string_view::npos ? text.npos : slash - start));
            if (part.empty())
                throw tool_error("an empty category name in '" + std::string(text) + "'");
            const auto n = code_points(part);
            if (!n || *n > 200) {
                throw tool_error("category name '" + std::string(part) +
                                 "' is not 1..200 characters of UTF-8");
            }
            if (!path.empty()) path += '/';
            path += part;
            if (slash == std::string_view::npos) return path;
            start = slash + 1;
        }
    }

    /// The existing category at `path`, if any.
    [[nodiscard]] std::optional<category_id> existing(const std::string& path) const {
        const auto it = existing_.find(path);
        if (it == existing_.end()) return std::nullopt;
        return it->second;
    }

    /// Plans every missing category along `path` (a normalised path, neither existing nor
    /// planned yet). All or nothing: on error nothing is planned.
    /// @throws tool_error when no free slug can be derived for a new category.
    void plan(const std::string& path) {
        std::vector<category_plan> adding;
        std::set<std::string> taken;
        std::optional<category_id> parent;
        std::optional<std::string> parent_path;
        for (std::size_t start = 0;;) {
            const std::size_t slash = path.find('/', start);
            const std::string prefix = path.substr(0, slash);
            const std::string name =
                path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
            if (const auto id = existing(prefix)) {
                parent = id;
                parent_path.reset();
            } else {
                if (planned_index_.count(prefix) == 0) {
                    category_plan c{prefix, name, "", parent_path, parent};
                    for (const std::string& candidate : {slug_of(name), slug_of(prefix)}) {
                        if (!candidate.empty() && slugs_.count(candidate) == 0 &&
                            taken.count(candidate) == 0) {
                            c.slug = candidate;
                            break;
                        }
                    }
                    if (c.slug.empty()) {
                        throw tool_error("category '" + prefix +
                                         "': no free slug can be derived from its name; create "
                                         "it first with a slug of your choice");
                    }
                    taken.insert(c.slug);
                    adding.push_back(c);
                }
                parent.reset();
                parent_path = prefix;
            }
            if (slash == std::string::npos) break;
            start = slash + 1;
        }
        for (category_plan& c : adding) {
            slugs_.insert(c.slug);
            planned_index_.emplace(c.path, planned_.size());
            planned_.push_back(std::move(c));
        }
    }

    /// Whether the import will create the category at `path`.
    [[nodiscard]] bool is_planned(const std::string& path) const {
        return planned_index_.count(path) != 0;
    }

    /// The categories to create, parents before children.
    [[nodiscard]] const std::vector<category_plan>& planned() const noexcept { return planned_; }

    /// Records a created category so that later rows and children find it.
    void created(const std::string& path, category_id id) { existing_[path] = id; }

private:
    std::map<std::string, category_id> existing_;
    std::set<std::string> slugs_;
    std::vector<category_plan> planned_;
    std::map<std::string, std::size_t> planned_index_;
};

/// The text of a CSV file, or of standard input for "-".
std::string read_input(const std::string& file) {
    std::ostringstream text;
    if (file == "-") {
        text << std::cin.rdbuf();
        return text.str();
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw tool_error("cannot read '" + file + "'");
    text << in.rdbuf();
    return text.str();
}

/// Plans the import of the records after the header: every check that can be made without
/// writing (values, duplicates, SKUs and slugs already in the shop, categories). Bad rows go
/// to `problems`.
class import_planner {
public:
    import_planner(shop& s, const import_options& o, std::map<std::string, std::size_t> columns)
        : shop_(s),
          options_(o),
          columns_(std::move(columns)),
          categories_(s.catalog().list_categories(actor::system())) {}

    void add(const csv_record& r) {
        try {
            plan_row(r);
        } catch (const tool_error& e) {
            problems_.push_back({r.line, e.what()});
        } catch (const validation_error& e) {
            problems_.push_back({r.line, e.what()});
        }
    }

    void add_problem(std::size_t line, const std::string& message) {
        problems_.push_back({line, message});
    }

    [[nodiscard]] const std::vector<row_plan>& rows() const noexcept { return rows_; }
    [[nodiscard]] const std::vector<row_problem>& problems() const noexcept { return problems_; }
    [[nodiscard]] category_resolver& categories() noexcept { return categories_; }

private:
    [[nodiscard]] std::optional<std::string> cell(const csv_record& r, const std::string& name,
                                                  bool trim = true) const {
        const auto it = columns_.find(name);
        if (it == columns_.end()) return std::nullopt;
        const std::string& v = r.fields[it->second];
        return trim ? std::string(trimmed(v)) : v;
    }

    static void check_text(const char* column, const std::string& v, std::size_t min,
                           std::size_t max, bool multiline) {
        const auto n = code_points(v);
        if (!n) throw tool_error(std::string(column) + ": not valid UTF-8");
        for (const char c : v) {
            const auto u = static_cast<unsigned char>(c);
            const bool allowed = multiline && (c == '\n' || c == '\t' || c == '\r');
            if ((u < 0x20 || u == 0x7F) && !allowed) {
                throw tool_error(std::string(column) + ": contains control characters");
            }
        }
        if (*n < min) throw tool_error(std::string(column) + ": must not be empty");
        if (*n > max) {
            throw tool_error(std::string(column) + ": longer than " + std::to_string(max) +
                             " characters");
        }
    }

    money amount(const char* column, const std::string& text) const {
        try {
            return money::parse(text, shop_.shop_currency());
        } catch (const validation_error&) {
            throw tool_error(std::string(column) + ": '" + text + "' is not an amount in " +
                             shop_.shop_currency().code() +
                             " (digits with an optional '.' and fraction, no sign, grouping or "
                             "currency, at most as many decimals as the currency has)");
        }
    }

    static std::int64_t count(const char* column, const std::string& text) {
        if (text.empty()) return 0;
        const auto v = parse_count(text);
        if (!v) {
            throw tool_error(std::string(column) + ": '" + text +
                             "' is not a whole number of 0 or more");
        }
        return *v;
    }

    sale_discount sale(const std::string& text) const {
        if (text.empty()) return sale_discount::none();
        if (text.back() == '%') {
            try {
                return sale_discount::percentage(ratio::parse(text));
            } catch (const validation_error&) {
                throw tool_error("sale: '" + text + "' is not a percentage from 0% to 100%");
            }
        }
        const money off = amount("sale", text);
        return sale_discount::amount(off);
    }

    [[nodiscard]] bool slug_free(const std::string& slug, const std::string& sku) const {
        if (slug.empty() || planned_slugs_.count(slug) != 0) return false;
        try {
            return shop_.catalog().product_by_slug(actor::system(), slug).sku == sku;
        } catch (const not_found_error&) {
            return true;
        }
    }

    void plan_row(const csv_record& r) {
        if (r.fields.size() != columns_.size()) {
            throw tool_error("expected " + std::to_string(columns_.size()) + " fields, found " +
                             std::to_string(r.fields.size()));
        }
        row_plan plan;
        plan.line = r.line;
        plan.sku = *cell(r, "sku");
        if (plan.sku.empty() || plan.sku.size() > 64 ||
            !std::all_of(plan.sku.begin(), plan.sku.end(),
                         [](char c) { return c > ' ' && c < 0x7F; })) {
            throw tool_error("sku: '" + plan.sku +
                             "' is not 1..64 printable ASCII characters without spaces");
        }
        if (const auto seen = skus_.find(plan.sku); seen != skus_.end()) {
            throw tool_error("sku: " + plan.sku + " is also on line " +
                             std::to_string(seen->second));
        }
        skus_.emplace(plan.sku, r.line);

        const std::string name = *cell(r, "name");
        check_text("name", name, 1, 200, false);
        const money price = amount("price", *cell(r, "price"));
        const std::int64_t stock = count("stock", cell(r, "stock").value_or(""));
        const auto grams = cell(r, "weight_grams");
        const auto description = cell(r, "description", false);
        if (description) check_text("description", *description, 0, 20000, true);
        const auto sale_text = cell(r, "sale");
        const std::optional<sale_discount> offer =
            sale_text ? std::optional<sale_discount>(sale(*sale_text)) : std::nullopt;
        const auto slug = cell(r, "slug");
        if (slug && !slug->empty() && !is_valid_slug(*slug)) {
            throw tool_error("slug: '" + *slug +
                             "' may only hold a-z, 0-9 and '-', not at either end");
        }
        std::optional<std::string> path;  // none: no category column; "": no category
        if (const auto text = cell(r, "category")) {
            path = text->empty() ? std::string() : category_resolver::normalised(*text);
        }

        std::optional<product> stored;
        try {
            stored = shop_.catalog().product_by_sku(actor::system(), plan.sku);
        } catch (const not_found_error&) {
        }
        if (stored && options_.existing == "skip") {
            plan.what = row_plan::action::skip;
            rows_.push_back(std::move(plan));
            return;
        }
        const sale_discount effective = offer ? *offer : stored ? stored->sale : sale_discount();
        try {
            (void)effective.apply(price);
        } catch (const validation_error&) {
            throw tool_error("sale: more than the price " + price.format());
        }

        if (!stored) {
            new_product& p = plan.fresh;
            p.sku = plan.sku;
            p.name = name;
            p.price = price;
            p.sale = effective;
            p.weight = weight::of_grams(count("weight_grams", grams.value_or("")));
            p.description = description.value_or("");
            p.initial_stock = stock;
            if (slug && !slug->empty()) {
                if (!slug_free(*slug, plan.sku)) {
                    throw tool_error("slug: '" + *slug + "' is taken by another product");
                }
                p.slug = *slug;
            } else {
                // The name's slug, or with the SKU appended when another product has it.
                for (const std::string& candidate :
                     {slug_of(name), slug_of(name + " " + plan.sku)}) {
                    if (slug_free(candidate, plan.sku)) {
                        p.slug = candidate;
                        break;
                    }
                }
                if (p.slug.empty()) {
                    throw tool_error(
                        "no free slug can be derived from the name; add a slug column");
                }
            }
            if (path && !path->empty()) bind_category(plan, *path, p.category);
            planned_slugs_.insert(p.slug);
            rows_.push_back(std::move(plan));
            return;
        }

        // An existing SKU: the columns present in the file are the truth, stock excepted (it
        // belongs to the inventory, which orders change).
        const product& old = *stored;
        product_update& u = plan.changes;
        plan.existing = old.id;
        if (name != old.name) u.name = name;
        if (price != old.price) u.price = price;
        if (offer && *offer != old.sale) u.sale = *offer;
        if (grams) {
            const weight w = weight::of_grams(count("weight_grams", *grams));
            if (w != old.weight) u.weight = w;
        }
        if (description && *description != old.description) u.description = *description;
        if (path) {
            if (path->empty()) {
                u.clear_category = old.category.has_value();
            } else {
                std::optional<category_id> target;
                bind_category(plan, *path, target);
                if (target != old.category || plan.new_category) u.category = target;
            }
        }
        u.expected_version = old.version;
        const bool changed = u.name || u.price || u.sale || u.weight || u.description ||
                             u.category || u.clear_category || plan.new_category;
        plan.what = changed ? row_plan::action::update : row_plan::action::unchanged;
        rows_.push_back(std::move(plan));
    }

    /// Sets `target` to the existing category at `path`, or plans the missing ones.
    void bind_category(row_plan& plan, const std::string& path,
                       std::optional<category_id>& target) {
        if (const auto id = categories_.existing(path)) {
            target = id;
            return;
        }
        if (!categories_.is_planned(path)) categories_.plan(path);
        plan.new_category = path;
    }

    shop& shop_;
    const import_options& options_;
    std::map<std::string, std::size_t> columns_;
    category_resolver categories_;
    std::map<std::string, std::size_t> skus_;
    std::set<std::string> planned_slugs_;
    std::vector<row_plan> rows_;
    std::vector<row_problem> problems_;
};

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// "shopcore code name: message" of an error, for reports.
std::string describe(const error& e) {
    return std::string(error_code_name(e.code())) + ": " + e.what();
}

int import_catalog(const global_options& g, const import_options& o) {
    csv_reader reader(read_input(o.file));
    const std::string where = o.file == "-" ? "<stdin>" : o.file;

    // The header: known column names (any order, any case), each once, the required ones.
    csv_record header;
    try {
        if (!reader.next(header))
            throw tool_error(where + ": empty file (a header row is required)");
    } catch (const csv_syntax_error& e) {
        throw tool_error(where + ":" + std::to_string(e.line()) + ": " + e.what());
    }
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = lower_ascii(trimmed(header.fields[i]));
        if (std::find(catalog_columns.begin(), catalog_columns.end(), name) ==
            catalog_columns.end()) {
            throw tool_error(where + ":" + std::to_string(header.line) + ": unknown column '" +
                             header.fields[i] +
                             "' (known: sku, name, price, stock, "
                             "weight_grams, category, description, sale, slug)");
        }
        if (!columns.emplace(name, i).second) {
            throw tool_error(where + ":" + std::to_string(header.line) + ": column '" + name +
                             "' appears twice");
        }
    }
    for (const char* required : {"sku", "name", "price"}) {
        if (columns.count(required) == 0) {
            throw tool_error(where + ":" + std::to_string(header.line) + ": the header has no '" +
                             required + "' column");
        }
    }

    shop s = open_shop(g, o.dry_run ? opening::existing_only : opening::may_create);
    import_planner planner(s, o, columns);
    std::size_t records = 0;
    for (;;) {
        csv_record r;
        try {
            if (!reader.next(r)) break;
        } catch (const csv_syntax_error& e) {
            ++records;
            planner.add_problem(e.line(), e.what());
            continue;
        }
        if (r.fields.size() == 1 && trimmed(r.fields[0]).empty()) continue;  // a blank line
        ++records;
        planner.add(r);
    }

    for (const row_problem& p : planner.problems()) {
        std::cerr << where << ':' << p.line << ": " << p.message << '\n';
    }
    const std::size_t bad = planner.problems().size();
    if (bad > 0 && !o.skip_bad) {
        std::cerr << "shopctl: nothing imported: " << plural(bad, "bad row", "bad rows") << " of "
                  << records << " (fix them, or pass --skip-bad to import the others)\n";
        return exit_failure;
    }

    std::size_t created = 0, updated = 0, unchanged = 0, skipped = 0, failed = 0;
    std::size_t new_categories = 0;
    const actor system = actor::system();
    std::set<std::string> broken_categories;
    const auto failure = [&](std::size_t line, const std::string& what) {
        std::cerr << where << ':' << line << ": " << what << '\n';
        ++failed;
        return o.skip_bad;  // true: carry on
    };
    bool stopped = false;
    if (!o.dry_run) {
        category_resolver& tree = planner.categories();
        for (const category_plan& c : tree.planned()) {
            if (c.parent_path && broken_categories.count(*c.parent_path) != 0) {
                broken_categories.insert(c.path);
                continue;
            }
            new_category nc{c.name, c.slug, c.parent};
            if (c.parent_path) nc.parent = tree.existing(*c.parent_path);
            try {
                tree.created(c.path, s.catalog().create_category(system, nc).id);
                ++new_categories;
            } catch (const error& e) {
                std::cerr << where << ": category '" << c.path << "': " << describe(e) << '\n';
                broken_categories.insert(c.path);
                if (!o.skip_bad) {
                    stopped = true;
                    break;
                }
            }
        }
        for (const row_plan& row : planner.rows()) {
            if (stopped) break;
            try {
                std::optional<category_id> category;
                if (row.new_category) {
                    if (broken_categories.count(*row.new_category) != 0) {
                        if (!failure(row.line,
                                     "category '" + *row.new_category + "' could not be created")) {
                            stopped = true;
                        }
                        continue;
                    }
                    category = tree.existing(*row.new_category);
                }
                switch (row.what) {
                    case row_plan::action::create: {
                        new_product p = row.fresh;
                        if (category) p.category = category;
                        (void)s.catalog().create_product(system, p);
                        ++created;
                        break;
                    }
                    case row_plan::action::update: {
                        product_update u = row.changes;
                        if (category) u.category = category;
                        (void)s.catalog().update_product(system, row.existing, u);
                        ++updated;
                        break;
                    }
                    case row_plan::action::unchanged:
                        ++unchanged;
                        break;
                    case row_plan::action::skip:
                        ++skipped;
                        break;
                }
            } catch (const error& e) {
                if (!failure(row.line, "sku " + row.sku + ": " + describe(e))) stopped = true;
            }
        }
    } else {
        for (const row_plan& row : planner.rows()) {
            created += row.what == row_plan::action::create ? 1 : 0;
            updated += row.what == row_plan::action::update ? 1 : 0;
            unchanged += row.what == row_plan::action::unchanged ? 1 : 0;
            skipped += row.what == row_plan::action::skip ? 1 : 0;
        }
        new_categories = planner.categories().planned().size();
    }

    const bool dry = o.dry_run;
    std::cout << where << ": " << (dry ? "dry run, nothing written: " : "")
              << plural(created, "product", "products") << (dry ? " to create, " : " created, ")
              << updated << (dry ? " to update, " : " updated, ") << unchanged << " unchanged, "
              << skipped << " skipped (existing); "
              << plural(new_categories, "category", "categories")
              << (dry ? " to create" : " created");
    if (stopped) {
        std::cout << "; stopped at a row the shop refused";
    } else if (bad + failed > 0) {
        std::cout << "; " << plural(bad + failed, "bad row", "bad rows")
                  << (dry ? " to skip" : " skipped");
    }
    std::cout << '\n';
    if (stopped) {
        std::cerr << "shopctl: import stopped; the rows before it were imported (importing the "
                     "same file again is safe)\n";
        return exit_failure;
    }
    return exit_ok;
}

// ---- create-admin ---------------------------------------------------------------------------

struct admin_options {
    std::string phone;
    std::string first_name;
    std::string last_name;
    std::string email;
    std::vector<std::string> permissions;
    bool password_stdin = false;
};

std::vector<std::string> permission_names() {
    std::vector<std::string> names;
    for (const permission p : all_permissions()) names.emplace_back(permission_name(p));
    return names;
}

/// "manage_catalog,manage_users".
std::string joined(const std::vector<permission>& list) {
    std::string out;
    for (const permission p : list) {
        if (!out.empty()) out += ',';
        out += permission_name(p);
    }
    return out;
}

int create_admin(const global_options& g, const admin_options& o) {
    registration r;
    r.phone = o.phone;
    r.first_name = o.first_name;
    r.last_name = o.last_name;
    if (!o.email.empty()) r.email = o.email;
    if (o.password_stdin) {
        std::string password;
        if (!std::getline(std::cin, password)) {
            throw tool_error("--password-stdin: no password on standard input");
        }
        if (!password.empty() && password.back() == '\r') password.pop_back();
        r.password = password;
    }
    std::vector<permission> granted;
    for (const std::string& name : o.permissions) {
        const permission p = *permission_from_name(name);  // checked by the parser
        if (std::find(granted.begin(), granted.end(), p) == granted.end()) granted.push_back(p);
    }

    shop s = open_shop(g, opening::may_create);
    const registration_result made = s.accounts().create_admin(actor::system(), r, granted);
    std::cout << "id: " << made.user.id << '\n'
              << "phone: " << made.user.phone << '\n'
              << "permissions: " << joined(made.user.permissions) << '\n';
    if (!made.default_password.empty()) {
        std::cout << "default password: " << made.default_password << '\n';
        std::cerr << "note: the default password is shown only this once; it must be changed at "
                     "the first login\n";
    }
    if (granted.empty()) {
        std::cerr << "note: an admin without permissions can sign in but do nothing else\n";
    }
    return exit_ok;
}

// ---- users ----------------------------------------------------------------------------------

struct users_options {
    std::string sort = "phone";
    bool descending = false;
    std::int64_t limit = 0;  // 0: all
    std::string format = "table";
    std::string role;  // "", "admin", "customer"
    std::string search;
    bool include_deleted = false;
};

int list_users(const global_options& g, const users_options& o) {
    user_query q;
    const std::map<std::string, user_sort> sorts = {{"phone", user_sort::phone},
                                                    {"name", user_sort::name},
                                                    {"active", user_sort::active},
                                                    {"admin", user_sort::admin}};
    q.sort = sorts.at(o.sort);
    q.descending = o.descending;
    q.text = o.search;
    q.include_deleted = o.include_deleted;
    if (o.role == "admin") q.role = role::admin;
    if (o.role == "customer") q.role = role::customer;

    shop s = open_shop(g, opening::existing_only);
    const output_format format = format_named(o.format);
    std::vector<std::vector<std::string>> rows;
    page_request request;
    for (;;) {
        const std::int64_t wanted =
            o.limit == 0 ? max_page_limit : o.limit - static_cast<std::int64_t>(rows.size());
        request.limit = std::min(wanted, max_page_limit);
        const page<user> batch = s.accounts().list_users(actor::system(), q, request);
        for (const user& u : batch.items) {
            const std::string last_login = u.last_login_at ? to_second(*u.last_login_at) : "";
            if (format == output_format::csv) {
                rows.push_back({std::to_string(u.id.value()), u.phone, u.first_name, u.last_name,
                                u.email.value_or(""), role_name(u.role),
                                u.active ? "true" : "false", u.phone_verified ? "true" : "false",
                                u.deleted ? "true" : "false", joined(u.permissions),
                                to_second(u.joined_at), last_login});
            } else {
                std::string name = u.first_name;
                if (!u.last_name.empty()) name += (name.empty() ? "" : " ") + u.last_name;
                rows.push_back({std::to_string(u.id.value()), u.phone, name, role_name(u.role),
                                u.deleted  ? "deleted"
                                : u.active ? "yes"
                                           : "no",
                                joined(u.permissions), to_second(u.joined_at),
                                u.last_login_at ? last_login : "never"});
            }
        }
        const bool full = o.limit != 0 && static_cast<std::int64_t>(rows.size()) >= o.limit;
        if (!batch.has_more() || full) break;
        request.token = batch.next_token;
    }
    if (format == output_format::csv) {
        print_csv(std::cout,
                  {"id", "phone", "first_name", "last_name", "email", "role", "active",
                   "phone_verified", "deleted", "permissions", "joined_at", "last_login_at"},
                  rows);
    } else {
        print_table(
            std::cout,
            {"ID", "PHONE", "NAME", "ROLE", "ACTIVE", "PERMISSIONS", "JOINED", "LAST LOGIN"}, rows,
            {0});
    }
    return exit_ok;
}

// ---- reco -----------------------------------------------------------------------------------

struct reco_options {
    std::string target;  // a SKU or product id; a phone or user id
    std::size_t limit = 10;
    std::string format = "table";
};

/// The product with SKU `key`, or else, when `key` is a number, with that id.
product find_product(shop& s, const std::string& key) {
    try {
        return s.catalog().product_by_sku(actor::system(), key);
    } catch (const not_found_error&) {
        if (!all_digits(key) || key.size() > 18) throw;
    }
    try {
        return s.catalog().product_by_id(actor::system(), product_id(*parse_count(key)));
    } catch (const not_found_error&) {
        throw not_found_error("no product with SKU or id '" + key + "'");
    }
}

/// The user with id `key` (digits, no leading zero), or with phone `key` ('+' or "00" and the
/// country code; a leading '0' uses --country-code).
user find_user(shop& s, const std::string& key, const std::string& country_code) {
    if (all_digits(key) && key.front() != '0' && key.size() <= 18) {
        return s.accounts().user_by_id(actor::system(), user_id(*parse_count(key)));
    }
    std::string phone;
    for (const char c : key) {
        if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') phone.push_back(c);
    }
    if (phone.rfind("00", 0) == 0) {
        phone = "+" + phone.substr(2);
    } else if (phone.rfind('0', 0) == 0 && !country_code.empty()) {
        phone = "+" + country_code + phone.substr(1);
    }
    if (phone.size() < 2 || phone[0] != '+' || !all_digits(phone.substr(1))) {
        throw validation_error("user", "'" + key +
                                           "' is neither a user id nor a phone number with its "
                                           "country code ('+' or 00)");
    }
    user_query q;
    q.text = phone;
    page_request request;
    request.limit = max_page_limit;
    for (;;) {
        const page<user> batch = s.accounts().list_users(actor::system(), q, request);
        for (const user& u : batch.items) {
            if (u.phone == phone) return u;
        }
        if (!batch.has_more()) break;
        request.token = batch.next_token;
    }
    throw not_found_error("no user with phone " + phone);
}

/// Builds the index (it lives in memory: every shopctl run builds its own), with a bar on a
/// terminal for explicit rebuilds and queries alike, and lines only for `reco rebuild`.
void build_index(shop& s, const global_options& g, bool explicit_job) {
    progress_printer progress(explicit_job ? "rebuild" : "building the index",
                              style_of(g, explicit_job), !explicit_job);
    s.recommendations().rebuild(actor::system(), progress.callback());
}

int reco_rebuild(const global_options& g) {
    shop s = open_shop(g, opening::existing_only);
    const auto started = std::chrono::steady_clock::now();
    build_index(s, g, true);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    const recommender_stats stats = s.recommendations().stats();
    std::cout << "orders learned: " << stats.orders << '\n'
              << "likes learned: " << stats.likes << '\n'
              << "products seen: " << stats.products << '\n'
              << "min_support: " << stats.min_support << '\n'
              << "built at: " << (stats.built_at ? to_second(*stats.built_at) : "never") << '\n'
              << "build time: " << std::fixed << std::setprecision(2) << took.count() << " s\n";
    return exit_ok;
}

/// Prints recommendations as a table or CSV, with the SKU and name of each product and why.
void print_recommendations(shop& s, const std::vector<recommendation>& list, output_format format) {
    std::map<std::int64_t, product> products;
    const auto product_of = [&](product_id id) -> const product& {
        auto it = products.find(id.value());
        if (it == products.end()) {
            it = products.emplace(id.value(), s.catalog().product_by_id(actor::system(), id)).first;
        }
        return it->second;
    };
    std::vector<std::vector<std::string>> rows;
    for (const recommendation& r : list) {
        const product& p = product_of(r.product);
        std::ostringstream score;
        score << std::fixed << std::setprecision(4) << r.score;
        const std::string because = r.because.is_valid() ? product_of(r.because).sku : "";
        std::string why;
        switch (r.reason) {
            case recommendation_reason::bought_together:
                why = "bought together with " + because;
                break;
            case recommendation_reason::liked_together:
                why = "liked together with " + because;
                break;
            case recommendation_reason::popular_in_category: {
                const auto category = r.because.is_valid() ? product_of(r.because).category
                                                           : std::optional<category_id>();
                why = category ? "popular in " +
                                     s.catalog().category_by_id(actor::system(), *category).name
                               : "popular";
                break;
            }
        }
        if (format == output_format::csv) {
            rows.push_back({std::to_string(p.id.value()), p.sku, p.name, score.str(),
                            recommendation_reason_name(r.reason), because});
        } else {
            rows.push_back({std::to_string(p.id.value()), p.sku, p.name, score.str(), why});
        }
    }
    if (format == output_format::csv) {
        print_csv(std::cout, {"product_id", "sku", "name", "score", "reason", "because_sku"}, rows);
    } else if (rows.empty()) {
        std::cout << "(no recommendations)\n";
    } else {
        print_table(std::cout, {"PRODUCT", "SKU", "NAME", "SCORE", "REASON"}, rows, {0, 3});
    }
}

int reco_product(const global_options& g, const reco_options& o) {
    shop s = open_shop(g, opening::existing_only);
    const product p = find_product(s, o.target);
    build_index(s, g, false);
    const auto list = s.recommendations().related(actor::system(), p.id, o.limit);
    const output_format format = format_named(o.format);
    if (format == output_format::table) {
        std::cout << "related to " << p.sku << " \"" << p.name << "\" (product " << p.id << ")\n";
    }
    print_recommendations(s, list, format);
    return exit_ok;
}

int reco_user(const global_options& g, const reco_options& o) {
    shop s = open_shop(g, opening::existing_only);
    const user u = find_user(s, o.target, g.country_code);
    build_index(s, g, false);
    const auto list = s.recommendations().for_user(actor::system(), u.id, o.limit);
    const output_format format = format_named(o.format);
    if (format == output_format::table) {
        std::cout << "for " << u.phone << " (user " << u.id << ")\n";
    }
    print_recommendations(s, list, format);
    return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "Administer a shopcore shop: import a catalog, create admins, list users, and "
        "build and query the recommendation index. Acts as the system actor.",
        "shopctl"};
    app.set_version_flag("--version", std::string("shopctl (shopcore) ") + SHOPCORE_VERSION_STRING);
    app.require_subcommand(1);
    app.fallthrough();
    app.footer(
        "Exit codes: 0 done, 1 failed (a shopcore error, printed with its code name; a bad input\n"
        "file; no shop at the path), 2 a usage error. See docs/tools/shopctl.md.");

    global_options g;
    app.add_option("--db", g.db,
                   "The shop: a URL as shop::open takes it (sqlite:PATH, postgresql://..., "
                   "mysql://...) or a plain path to an SQLite file")
        ->envname("SHOPCTL_DB")
        ->required();
    app.add_option("--currency", g.currency,
                   "ISO 4217 currency of a new shop (default USD); an existing shop keeps its own");
    app.add_option("--country-code", g.country_code,
                   "Calling code for phone numbers written with a leading 0 (e.g. 98)");
    app.add_option("--progress", g.progress,
                   "Progress of long jobs on stderr: auto (a bar on a terminal, else lines for "
                   "`reco rebuild`), bar, lines, none")
        ->check(CLI::IsMember({"auto", "bar", "lines", "none"}))
        ->capture_default_str();

    import_options import_o;
    CLI::App* import_cmd =
        app.add_subcommand("import-catalog", "Create or update products from a CSV file");
    import_cmd->add_option("file", import_o.file, "The CSV file ('-' for standard input)")
        ->required();
    import_cmd
        ->add_option("--existing", import_o.existing,
                     "What to do with a SKU the shop has: update its fields, or skip it")
        ->check(CLI::IsMember({"update", "skip"}))
        ->capture_default_str();
    import_cmd->add_flag("--skip-bad", import_o.skip_bad,
                         "Import the good rows when some are bad (default: import nothing)");
    import_cmd->add_flag("--dry-run", import_o.dry_run,
                         "Check the file against the shop and report, writing nothing");

    admin_options admin_o;
    CLI::App* admin_cmd = app.add_subcommand(
        "create-admin", "Create an admin; prints the generated default password once");
    admin_cmd->add_option("--phone", admin_o.phone, "Phone number, the login name")->required();
    admin_cmd->add_option("--first", admin_o.first_name, "First name");
    admin_cmd->add_option("--last", admin_o.last_name, "Last name");
    admin_cmd->add_option("--email", admin_o.email, "E-mail address");
    admin_cmd
        ->add_option("--permission", admin_o.permissions,
                     "A permission to grant (repeat, or separate with commas)")
        ->delimiter(',')
        ->check(CLI::IsMember(permission_names()));
    admin_cmd->add_flag("--password-stdin", admin_o.password_stdin,
                        "Read the password from the first line of standard input instead");

    users_options users_o;
    CLI::App* users_cmd =
        app.add_subcommand("users", "List users with role, permissions, join date, last login");
    users_cmd->add_option("--sort", users_o.sort, "Sort key: phone, name, active, admin")
        ->check(CLI::IsMember({"phone", "name", "active", "admin"}))
        ->capture_default_str();
    users_cmd->add_flag("--desc", users_o.descending, "Descending order");
    users_cmd->add_option("--limit", users_o.limit, "At most this many users (default: all)")
        ->check(CLI::PositiveNumber);
    users_cmd->add_option("--format", users_o.format, "table or csv")
        ->check(CLI::IsMember({"table", "csv"}))
        ->capture_default_str();
    users_cmd->add_option("--role", users_o.role, "Only admins or only customers")
        ->check(CLI::IsMember({"admin", "customer"}));
    users_cmd->add_option("--search", users_o.search,
                          "Only users whose phone, e-mail or name contains this text");
    users_cmd->add_flag("--include-deleted", users_o.include_deleted,
                        "Also list deleted (anonymised) accounts");

    CLI::App* reco_cmd = app.add_subcommand("reco", "The recommendation index");
    reco_cmd->require_subcommand(1);
    CLI::App* rebuild_cmd = reco_cmd->add_subcommand(
        "rebuild", "Build the index from every order and like, with progress; print its stats");
    reco_options reco_o;
    CLI::App* product_cmd =
        reco_cmd->add_subcommand("product", "Products related to a product (by SKU or id)");
    CLI::App* user_cmd =
        reco_cmd->add_subcommand("user", "Suggestions for a user (by phone or id)");
    for (CLI::App* cmd : {product_cmd, user_cmd}) {
        cmd->add_option("target", reco_o.target,
                        cmd == product_cmd ? "SKU, or product id" : "Phone (+...), or user id")
            ->required();
        cmd->add_option("--limit", reco_o.limit, "At most this many (1..100)")
            ->check(CLI::Range(1, 100))
            ->capture_default_str();
        cmd->add_option("--format", reco_o.format, "table or csv")
            ->check(CLI::IsMember({"table", "csv"}))
            ->capture_default_str();
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_ok : exit_usage;
    }

    try {
        if (import_cmd->parsed()) return import_catalog(g, import_o);
        if (admin_cmd->parsed()) return create_admin(g, admin_o);
        if (users_cmd->parsed()) return list_users(g, users_o);
        if (rebuild_cmd->parsed()) return reco_rebuild(g);
        if (product_cmd->parsed()) return reco_product(g, reco_o);
        if (user_cmd->parsed()) return reco_user(g, reco_o);
        return exit_usage;
    } catch (const error& e) {
        std::cerr << "shopctl: " << error_code_name(e.code()) << " (" << static_cast<int>(e.code())
                  << "): " << e.what() << '\n';
    } catch (const tool_error& e) {
        std::cerr << "shopctl: " << e.what() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "shopctl: unexpected error: " << e.what() << '\n';
    }
    return exit_failure;
}
