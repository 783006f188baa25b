// The bundled list of refused passwords: about a thousand of the most common passwords in public
// leak statistics, written for shopcore from general knowledge of those rankings (not copied from
// any file). Entries are lower-case; common_password_list compares without regard to ASCII case.
// Entries shorter than 8 characters are refused by length anyway and are listed for completeness.
//
// This covers ASVS 5.0 6.2.4 ("at least the top 3000") only in part: administrators add a bigger
// list through account_settings::extra_common_passwords_file, e.g. /usr/share/john/password.lst
// from Debian's john-data package, or a breached-password corpus.

#include "account/password_rules.hpp"

namespace shopcore::detail {
namespace {

// clang-format off
constexpr std::string_view common_passwords[] = {
    // classic top of every leaked-password ranking
    "123456", "password", "12345678", "qwerty", "123456789", "12345", "1234", "111111", "1234567",
    "dragon", "123123", "baseball", "abc123", "football", "monkey", "letmein", "shadow", "master",
    "666666", "qwertyuiop", "123321", "mustang", "1234567890", "michael", "654321", "superman",
    "1qaz2wsx", "7777777", "121212", "000000", "qazwsx", "123qwe", "killer", "trustno1", "jordan",
    "jennifer", "zxcvbnm", "asdfgh", "hunter", "buster", "soccer", "harley", "batman", "andrew",
    "tigger", "sunshine", "iloveyou", "2000", "charlie", "robert", "thomas", "hockey", "ranger",
    "daniel", "starwars", "klaster", "112233", "george", "computer", "michelle", "jessica",
    "pepper", "1111", "zxcvbn", "555555", "11111111", "131313", "freedom", "777777", "pass",
    "maggie", "159753", "aaaaaa", "ginger", "princess", "joshua", "cheese", "amanda", "summer",
    "love", "ashley", "6969", "nicole", "chelsea", "biteme", "matthew", "access", "yankees",
    "987654321", "dallas", "austin", "thunder", "taylor", "matrix", "welcome", "admin", "password1",
    "passw0rd", "p@ssw0rd", "qwerty123", "1q2w3e4r", "1q2w3e4r5t", "iloveyou1", "admin123",
    "welcome1", "123456a", "1q2w3e", "123abc", "654321a", "666666a", "secret",
    // digit runs and patterns
    "0123456789", "87654321", "9876543210", "111111111", "1111111111", "00000000", "000000000",
    "0000000000", "22222222", "33333333", "44444444", "55555555", "66666666", "77777777",
    "88888888", "99999999", "12121212", "11223344", "112233445566", "123123123", "12341234",
    "123456123456", "147258369", "159357456", "123654789", "147852369", "741852963", "963852741",
    "789456123", "456789123", "1122334455", "1234512345", "12344321", "12345678910", "01234567",
    "13579246", "135792468", "24682468", "20202020", "10203040", "11112222", "12369874",
    "321654987", "31415926", "3141592653", "14789632", "789654123", "1029384756", "159753456",
    "159357", "753951", "852456", "147258", "258369", "369258147", "1212121212", "1231231234",
    "123456789a", "12345678a", "1234567a", "987654321a", "0987654321", "09876543", "11111",
    "222222", "333333", "444444", "888888", "999999", "1234554321", "123454321", "12345654321",
    "010203", "01020304", "1234567891", "123456780", "0000", "4321", "12qwaszx", "100200300",
    "5555555555", "1313131313", "696969", "6969696969", "420420", "42069420", "8675309", "86753099",
    // keyboard walks
    "qwertyui", "qwerty12", "qwerty1234", "qwerty12345", "qwerty123456", "qwertyuiop123",
    "qwerty1!", "qwerty!", "qwertyu", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "zaq12wsx", "zaq1zaq1",
    "zaq1xsw2", "!qaz2wsx", "!qaz@wsx", "1qazxsw2", "1qaz!qaz", "qazwsxedc", "qazwsxedcrfv",
    "qazxswedc", "asdfghjkl", "asdfghjk", "asdf1234", "asdfasdf", "asdf;lkj", "asdfjkl;",
    "asdfqwer", "zxcvbnm1", "zxcvbnm123", "zxcvbnm,", "zxcvbnmasdfghjkl", "qweasdzxc", "qweasd123",
    "qwe123qwe", "qweqweqwe", "qweasdzxc123", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u", "q1w2e3r4",
    "q1w2e3r4t5", "q1w2e3r4t5y6", "qwer1234", "qwerasdf", "qwerasdfzxcv", "1234qwer",
    "1234qwerasdf", "poiuytrewq", "mnbvcxz", "lkjhgfdsa", "1q2w3e4r!", "1q2w3e4r5", "abcd1234",
    "abc12345", "abc123456", "a1b2c3d4", "a1b2c3d4e5", "a1s2d3f4", "abcdefg", "abcdefgh",
    "abcdefghi", "abcdefghij", "abcdefghijk", "aa123456", "aaa12345", "a123456789", "a12345678",
    "a1234567", "q123456789", "qwe123456", "asd123456", "zxc123456", "12345qwert", "123qweasd",
    "123qweasdzxc", "123qwe123", "qwe12345", "1qa2ws3ed", "3edc4rfv", "4rfv5tgb", "2wsx3edc",
    "1234asdf", "qwertz", "qwertz123", "qwertzuiop", "azerty", "azerty123", "azertyuiop",
    "1a2b3c4d", "1a2s3d4f", "abcabc123", "abcabcabc", "qazqazqaz", "wsxedc", "1qazzaq1", "q2w3e4r5",
    "ytrewq", "qwaszx", "qwaszxqwaszx",
    // "password" and "admin" and defaults
    "password12", "password123", "password1234", "password12345", "password!", "password1!",
    "password2", "password3", "password7", "password01", "password11", "password99", "password00",
    "password69", "password88", "passw0rd1", "p@ssword", "p@ssw0rd1", "p@ssword1", "p@$$w0rd",
    "pa55word", "pa55w0rd", "pa$$word", "passpass", "passpass1", "mypassword", "mypassword1",
    "newpassword", "oldpassword", "password2020", "password2021", "password2022", "password2023",
    "password2024", "password2025", "password@123", "password#1", "passwort", "passwort1",
    "motdepasse", "contrasena", "parol", "parol123", "parola", "senha123", "wachtwoord", "salasana",
    "losenord", "haslo123", "sifre123", "admin1234", "admin12345", "admin123456", "administrator",
    "adminadmin", "admin@123", "admin1", "admin01", "root1234", "rootroot", "root123", "toor1234",
    "changeme", "changeme1", "changeme123", "default", "default1", "default123", "letmein1",
    "letmein123", "letmein!", "welcome123", "welcome12", "welcome2", "welcome01", "welcome2023",
    "welcome2024", "welcome!", "test1234", "test12345", "test123456", "testtest", "testing",
    "testing123", "test123", "guest", "guest123", "user1234", "user12345", "demo1234", "temp1234",
    "temppass", "temp123", "login123", "login1234", "secret123", "secret1", "topsecret",
    "supersecret", "1password", "trustme", "trustno1!", "whatever", "whatever1", "nothing",
    "anything", "abcd1234!", "qwerty123!", "password123!", "iloveyou!", "letmein12", "opensesame",
    "sesame123", "master123", "master12", "administrator1", "superuser", "sysadmin", "manager",
    "manager1", "support", "support123", "service", "office123",
    // seasons and years
    "summer2020", "summer2021", "summer2022", "summer2023", "summer2024", "summer2025",
    "winter2022", "winter2023", "winter2024", "spring2023", "spring2024", "autumn2023",
    "autumn2024", "fall2023", "summer123", "winter123", "spring123", "summer1", "winter1",
    "spring1", "autumn1", "january1", "february1", "december1", "october1", "september1",
    "november1", "monday123", "friday123", "sunday123", "1987", "1988", "1989", "1990", "1991",
    "1992", "1993", "1994", "1995", "1999", "2001", "2002", "2020", "2024", "19871987", "19901990",
    "20002000", "20202020a",
    // love and names of affection
    "iloveyou2", "iloveyou12", "iloveyou123", "iloveu", "iloveu2", "loveyou", "loveyou1",
    "ilovegod", "ilovehim", "iloveher", "ilovemom", "ilovejesus", "iloveme", "iloveyou3", "love123",
    "love1234", "lovelove", "loveme", "loveme1", "lover", "lovers", "lovely", "lovely1", "mylove",
    "mylove1", "sweetheart", "sweetie", "sweetie1", "sweetpea", "honey123", "babygirl", "babygirl1",
    "babyboy", "baby123", "princess1", "princess12", "princess123", "angel123", "angel1", "angels",
    "angelina", "angelica", "forever", "forever1", "friends", "friends1", "friendship", "family",
    "family1", "bestfriend", "butterfly", "butterfly1", "flower", "flowers", "sunflower", "rainbow",
    "rainbow1", "sunshine1", "sunshine12", "beautiful", "beautiful1", "pretty", "cutie", "cutiepie",
    "kisses", "hello123", "hello1234", "hellohello", "helloworld", "hellokitty", "imissyou",
    // sports, teams and cars
    "baseball1", "football1", "football12", "soccer12", "soccer1", "basketball", "hockey1",
    "tennis", "golfer", "fishing", "hunting", "cowboys", "steelers", "eagles", "packers", "lakers",
    "yankees1", "redsox", "redskins", "bulldogs", "panthers", "tigers", "rangers", "dolphins",
    "broncos", "raiders", "chargers", "patriots", "giants", "jets", "liverpool", "liverpool1",
    "arsenal", "arsenal1", "chelsea1", "manchester", "manutd", "manunited", "barcelona",
    "realmadrid", "juventus", "milan", "acmilan", "bayern", "ronaldo", "ronaldo7", "cristiano",
    "messi10", "leomessi", "neymar", "beckham", "zidane", "maradona", "pele1234", "fcbarcelona",
    "mustang1", "corvette", "ferrari", "porsche", "mercedes", "camaro", "harley1", "yamaha",
    "kawasaki", "suzuki", "honda123", "toyota", "nissan", "chevrolet", "chevy", "ford150",
    "bmw12345", "lamborghini", "nascar", "michael23", "jordan23", "kobe24", "lebron23",
    // first names (the lists are full of them)
    "jennifer1", "jessica1", "ashley1", "amanda1", "nicole1", "michelle1", "michael1", "charlie1",
    "daniel1", "robert1", "thomas1", "andrew1", "joshua1", "matthew1", "george1", "jordan1",
    "hunter1", "taylor1", "elizabeth", "samantha", "stephanie", "victoria", "alexander",
    "alexandra", "christopher", "christian", "benjamin", "jonathan", "nicholas", "natalie",
    "patricia", "veronica", "caroline", "charlotte", "danielle", "gabriel", "isabella", "jasmine",
    "jackson", "madison", "melissa", "maverick", "morgan", "olivia", "phoenix", "rebecca",
    "richard", "william", "anthony", "brandon", "cameron", "justin", "austin1", "heather", "rachel",
    "lauren", "chris123", "david123", "james123", "john1234", "mike1234", "alex1234", "sarah123",
    "anna1234", "maria123", "peter123", "paul1234", "mark1234", "kevin123", "steven123", "tiffany",
    "whitney", "melanie", "courtney", "amber1", "brittany",
    // animals, food, things
    "chicken", "chocolate", "cookie", "cookies", "monkey1", "monkey12", "monkey123", "dragon1",
    "dragon12", "dragon123", "tiger123", "lion1234", "doggie", "puppy123", "kitty123", "kitten",
    "mickey", "minnie", "snoopy", "tweety", "garfield", "scooby", "bubbles", "banana", "orange",
    "apple123", "pepper1", "cheese1", "pizza123", "coffee", "peanut", "peaches", "cherry",
    "strawberry", "blueberry", "pumpkin", "cupcake", "candy123", "diamond", "diamonds", "silver",
    "golden", "gold1234", "money123", "money1", "moneymoney", "dollars", "rich1234", "lucky123",
    "lucky7", "lucky777", "computer1", "internet", "laptop",
    // culture, games, brands
    "starwars1", "pokemon", "pokemon1", "pokemon123", "naruto", "naruto123", "sasuke", "spiderman",
    "ironman", "avengers", "superman1", "batman123", "batman1", "gandalf", "skywalker",
    "darthvader", "jedi1234", "terminator", "matrix1", "simpsons", "homer123", "disney", "barbie",
    "minecraft", "minecraft1", "fortnite", "roblox", "roblox123", "zelda123", "mario123",
    "nintendo", "playstation", "xbox360", "halo1234", "warcraft", "counterstrike", "gamer123",
    "player1", "blink182", "metallica", "slipknot", "nirvana", "eminem", "linkinpark", "greenday",
    "beatles", "rockstar", "superstar", "rockyou", "rockandroll", "shadow1", "shadow123", "killer1",
    "killer123", "hunter2", "hunter123", "master1", "thunder1", "freedom1", "justice", "liberty",
    "america", "usa12345", "canada", "london", "paris123", "berlin", "newyork", "california",
    "florida", "texas123", "facebook", "facebook1", "google", "google123", "youtube", "instagram",
    "twitter", "linkedin", "myspace", "myspace1", "microsoft", "windows", "windows7", "samsung",
    "samsung1", "iphone", "iphone123", "apple", "nokia1234", "blackberry",
    // religion and feelings
    "jesus1", "jesus123", "jesuschrist", "christ", "god123", "godisgood", "blessed", "blessed1",
    "faith123", "heaven", "angel", "trinity", "genesis", "hallelujah", "allah786", "bismillah",
    "786786", "mohammed1", "happy123", "happiness", "smile123", "crazy123", "whatever!", "fuckyou",
    "fuckyou1", "fuckoff", "asshole", "bitch123", "shit1234", "sexy123", "sexygirl",
    // other languages, transliterated
    "teamo", "teamo123", "tequiero", "princesa", "mariposa", "hola1234", "amor1234", "carlos123",
    "corazon", "soleil", "doudou", "chouchou", "loulou", "nounours", "bonjour", "marseille",
    "hallo123", "schatz", "schalke04", "fussball", "ciao1234", "amore", "napoli", "privet123",
    "qwerty7", "zvezda", "woaini", "woaini1314", "woaini520", "5201314", "1314520", "aini1314",
    "wangjian", "zhang123", "dragon88", "168168", "518518", "iloveyou520", "sayang", "sayang123",
    "cintaku", "bismillah1", "ayang", "sakura", "naruto1", "doraemon",
    // Persian, transliterated
    "iran1234", "iran12345", "iran123456", "iloveiran", "irani", "iran2024", "tehran", "tehran123",
    "tehran1234", "esfahan", "isfahan", "shiraz", "tabriz", "mashhad", "persepolis", "persepolis1",
    "esteghlal", "esteghlal1", "perspolis", "ghermez", "abi1234", "khoda", "khodaya", "yakhoda",
    "yaali", "yaali110", "110110", "313313", "yahossein", "yazahra", "yamahdi", "yaabolfazl",
    "yaali313", "abolfazl", "mohammad", "mohammad123", "mohamad123", "mohammadreza", "hossein",
    "hossein123", "hosein123", "reza1234", "reza12345", "mahdi123", "mehdi123", "zahra123",
    "fatemeh", "fatemeh123", "maryam", "maryam123", "sara1234", "amir1234", "amir12345", "amirali",
    "amirhossein", "alireza", "alireza123", "ali12345", "ali123456", "majid123", "hamid123",
    "hamidreza", "saeed123", "saeid123", "mohsen123", "javad123", "milad123", "arash123",
    "babak123", "behnam123", "farshid", "parisa", "nazanin", "setareh", "negar123", "mina1234",
    "shirin", "shahrzad", "kourosh", "dariush", "cyrus123", "parsian", "azizam", "azizam123",
    "eshgh", "eshgham", "eshghe", "eshgheman", "asheghetam", "doostetdaram", "dooset", "dosetdaram",
    "ghorbanet", "khoshgel", "fereshteh", "salam123", "salamsalam", "khodahafez", "irancell",
    "hamrahaval", "1234560", "09120000000", "dokhtar", "pesar1234", "mamanbaba", "baba1234",
    "maman123", "golnaz", "golbahar", "nilofar", "yasaman", "yasmin123"
};
// clang-format on

}  // namespace

std::span<const std::string_view> bundled_common_passwords() noexcept { return common_passwords; }

}  // namespace shopcore::detail
