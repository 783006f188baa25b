#include "account/password_rules.hpp"

#include <cstddef>
#include <cstdio>
#include <fstream>
#include <string>
#include <unordered_set>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>

namespace shopcore::detail {
namespace {

constexpr const char* phone = "+989121234567";

// Eight Persian letters (sin, lam, alef, mim, dal, nun, ye, alef): 8 code points, 16 bytes.
std::string persian8() {
    return "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85\xd8\xaf\xd9\x86\xdb\x8c\xd8\xa7";
}
constexpr const char* persian_be = "\xd8\xa8";  // one more letter, 2 bytes

const common_password_list& bundled() {
    static const common_password_list list;
    return list;
}

void expect_refused(const std::string& password, const std::string& reason_part,
                    const std::string& with_phone = phone,
                    const common_password_list& list = bundled()) {
    try {
        check_password_policy(password, with_phone, list);
        ADD_FAILURE() << "accepted '" << password << "'";
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), "password") << password;
        EXPECT_NE(std::string(e.what()).find(reason_part), std::string::npos)
            << "'" << password << "': " << e.what();
    }
}

void expect_accepted(const std::string& password, const std::string& with_phone = phone,
                     const common_password_list& list = bundled()) {
    EXPECT_NO_THROW(check_password_policy(password, with_phone, list)) << password;
}

// A password of `n` ASCII characters that is neither common nor one repeated character.
std::string ascii_password(std::size_t n) {
    const std::string pool = "Kx7#qM2v-Zt9!wRb4%";
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(pool[(i * 5 + i / pool.size()) % pool.size()]);
    return out;
}

std::string repeat(const std::string& piece, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

std::size_t code_points(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
    return n;
}

TEST(PasswordPolicy, LengthBoundsAreEightAndOneHundredTwentyEight) {
    expect_refused("", "at least 8");
    expect_refused(ascii_password(7), "at least 8");
    expect_accepted(ascii_password(8));
    expect_accepted(ascii_password(64));
    expect_accepted(ascii_password(128));
    expect_refused(ascii_password(129), "at most 128");
}

TEST(PasswordPolicy, LongPasswordsAreRefusedNeverTruncated) {
    const std::string long_one = ascii_password(200);
    expect_accepted(long_one.substr(0, 128));  // so the refusal below is about length alone
    expect_refused(long_one, "at most 128");
    expect_refused(ascii_password(100000), "at most 128");
}

TEST(PasswordPolicy, LengthCountsCodePointsNotBytes) {
    ASSERT_EQ(code_points(persian8()), 8U);
    ASSERT_EQ(persian8().size(), 16U);
    expect_accepted(persian8());
    expect_refused(persian8().substr(0, 14), "at least 8");  // 7 letters, 14 bytes
    expect_refused(persian8().substr(0, 8), "at least 8");   // 4 letters, 8 bytes
    const std::string persian128 = repeat(persian8(), 16);
    ASSERT_EQ(code_points(persian128), 128U);
    expect_accepted(persian128);  // 256 bytes
    expect_refused(persian128 + persian_be, "at most 128");
    // Four-byte code points: 8 emoji (32 bytes) pass, 7 do not.
    const std::string emoji8 = repeat("\xf0\x9f\x8d\x8e\xf0\x9f\x90\xb1", 4);
    expect_accepted(emoji8);
    expect_refused(emoji8.substr(0, 28), "at least 8");
}

TEST(PasswordPolicy, InvalidUtf8IsRefused) {
    for (const std::string& bad : {
             std::string("abcdefgh\xff"),
             std::string("\xc0\xaf"
                         "abcdefgh"),  // overlong '/'
             std::string("abcdefg\x80h"),
             std::string("abcdefgh\xe2\x82"),      // truncated sequence
             std::string("abcdefgh\xed\xa0\x80"),  // UTF-16 surrogate
             std::string("\xf4\x90\x80\x80"
                         "abcdefgh"),  // above U+10FFFF
             persian8().substr(0, 15) + "abcdefgh",
             ascii_password(300) + "\xff",
         }) {
        expect_refused(bad, "UTF-8");
    }
}

TEST(PasswordPolicy, CommonPasswordsAreRefusedInAnyAsciiCase) {
    for (const std::string common :
         {"password", "PASSWORD1", "Password1", "QwErTy123", "iLoveYou1", "P@ssw0rd", "12345678",
          "1q2w3e4r5t", "Iran1234", "TEHRAN123", "Persepolis", "qwertyuiop", "zaq12wsx"}) {
        expect_refused(common, "common");
    }
}

TEST(PasswordPolicy, EveryLongBundledEntryIsRefused) {
    for (const std::string_view entry : bundled_common_passwords()) {
        if (entry.size() < min_password_length) continue;
        try {
            check_password_policy(entry, phone, bundled());
            ADD_FAILURE() << "accepted '" << entry << "'";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "password");
        }
    }
}

TEST(PasswordPolicy, ThePhoneNumberIsRefusedInItsUsualForms) {
    for (const std::string same :
         {"+989121234567", "989121234567", "09121234567", "9121234567", "00989121234567",
          "+98 912 123 4567", "0912-123-4567", "(0912) 123 4567"}) {
        expect_refused(same, "phone");
    }
    // The phone given without '+', or with spaces.
    expect_refused("+989121234567", "phone", "989121234567");
    expect_refused("989121234567", "phone", "+98 912 123 4567");
    expect_refused("+98 912 123 4567", "phone", "+98 912 123 4567");
    // Not the phone: other digits, or words around it.
    expect_accepted("09121234568", phone);
    expect_accepted("my phone 09121234567", phone);
    expect_accepted("09121234567", "");  // no phone on the account
}

TEST(PasswordPolicy, OneRepeatedCharacterIsRefused) {
    expect_refused(std::string(12, 'q'), "repeated");
    expect_refused(std::string(10, ' '), "repeated");
    expect_refused(repeat("\xd8\xa7", 9), "repeated");          // nine Persian alefs
    expect_refused(repeat("\xf0\x9f\x98\x80", 8), "repeated");  // eight emoji
    expect_refused(std::string(128, 'Z'), "repeated");
    expect_accepted(std::string(11, 'q') + "w");
}

TEST(PasswordPolicy, EveryRefusalNamesThePasswordFieldAndNotThePassword) {
    const std::string secret = "Tehran123";
    try {
        check_password_policy(secret, phone, bundled());
        FAIL() << "accepted";
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), "password");
        EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
    }
}

TEST(PasswordList, BundledListIsLargeLowerCaseAndDistinct) {
    const auto entries = bundled_common_passwords();
    std::unordered_set<std::string_view> distinct(entries.begin(), entries.end());
    EXPECT_EQ(distinct.size(), entries.size()) << "duplicate entries in common_passwords.cpp";
    std::size_t long_ones = 0;
    for (const std::string_view entry : entries) {
        EXPECT_FALSE(entry.empty());
        for (const char c : entry) {
            EXPECT_TRUE(c > ' ' && c < 0x7F && !(c >= 'A' && c <= 'Z')) << entry;
        }
        if (entry.size() >= min_password_length) ++long_ones;
    }
    EXPECT_GE(long_ones, 500U);
    EXPECT_EQ(bundled().size(), entries.size());
    for (const char* classic : {"123456", "password", "qwerty", "iloveyou", "trustno1", "1qaz2wsx",
                                "iran1234", "tehran123"}) {
        EXPECT_TRUE(bundled().contains(classic)) << classic;
    }
    EXPECT_FALSE(bundled().contains(ascii_password(16)));
}

TEST(PasswordList, ExtraFileAddsTrimmedEntries) {
    const std::string path = testing::TempDir() + "shopcore_test_extra_passwords.txt";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << "#!comment: a John the Ripper header line\n"
            << "Zebra-Crossing-42\r\n"
            << "  spaced entry  \n"
            << "\n"
            << "\ttabbed-entry\t\r\n"
            << "password\n"  // already bundled
            << "last-line-without-newline";
    }
    common_password_list list;
    const std::size_t before = list.size();
    EXPECT_FALSE(list.contains("zebra-crossing-42"));
    list.add_file(path);
    EXPECT_EQ(list.size(), before + 4);
    EXPECT_TRUE(list.contains("zebra-crossing-42"));
    EXPECT_TRUE(list.contains("ZEBRA-CROSSING-42"));
    EXPECT_TRUE(list.contains("spaced entry"));
    EXPECT_TRUE(list.contains("tabbed-entry"));
    EXPECT_TRUE(list.contains("last-line-without-newline"));
    EXPECT_FALSE(list.contains("#!comment: a john the ripper header line"));
    expect_refused("Zebra-Crossing-42", "common", phone, list);
    expect_accepted("Zebra-Crossing-42", phone, bundled());
    std::remove(path.c_str());
}

TEST(PasswordList, UnreadableExtraFileIsAValidationError) {
    common_password_list list;
    const std::size_t before = list.size();
    for (const std::string& path :
         {std::string("/nonexistent/shopcore/passwords.txt"), testing::TempDir(), std::string()}) {
        try {
            list.add_file(path);
            ADD_FAILURE() << "accepted '" << path << "'";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "extra_common_passwords_file") << path;
        }
    }
    EXPECT_EQ(list.size(), before);
}

}  // namespace
}  // namespace shopcore::detail
