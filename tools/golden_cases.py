"""The (query, document, budget) cases behind the golden files. Deterministic: no randomness beyond a fixed seed.

A case's `budget` is the number of content tokens allowed (max_length minus the family's special tokens), so one case
exercises the same truncation branch in both families; max_length is capped at 512, and `None` means 512.
"""

import random

# Short texts, each one exercising something the normaliser, pre-tokeniser or model must get exactly right.
TEXTS = [
    # plain English
    ("plain", "How to process organic waste?"),
    ("plain", "Composting turns kitchen scraps and garden waste into fertile soil."),
    ("plain", "Plastic recycling sorts bottles by resin type before shredding."),
    ("plain", "Nuclear waste is stored in deep geological repositories."),
    ("plain", "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG"),
    ("plain", "unbelievably unaffordable counterrevolutionaries"),
    ("plain", "Reranking improves retrieval-augmented generation."),
    # accents, precomposed and decomposed
    ("accents", "Café naïve résumé façade jalapeño"),
    ("accents", "ÉCOLE ÀÉÎÕÜ Ångström Øresund"),
    ("accents", "Cafe\u0301 nai\u0308ve re\u0301sume\u0301"),
    ("accents", "Zażółć gęślą jaźń"),
    ("accents", "Tiếng Việt có nhiều dấu thanh điệu"),
    ("accents", "São Paulo, Zürich, Kraków, Reykjavík"),
    ("accents", "straße STRASSE ß ẞ"),
    ("accents", "İstanbul ılık ışık"),
    ("accents", "ﬁnancial ﬂow ǅ ǆ Ǳ"),
    # combining marks and zalgo
    ("combining", "a\u0308 o\u0302 u\u0301\u0323 n\u0303"),
    ("combining", "Z\u0324\u0354\u0367\u0311\u0313a\u0356\u032d\u0308\u0307l\u036e\u0312\u036bg\u0328\u0317\u033bo"),
    ("combining", "\u0301\u0302 leading combining marks"),
    ("combining", "क्षत्रिय हिन्दी"),
    ("combining", "ไทย ภาษา"),
    # CJK and other scripts
    ("cjk", "北京是中国的首都"),
    ("cjk", "搜索引擎首先检索候选文档，然后重新排序。"),
    ("cjk", "東京は日本の首都です。"),
    ("cjk", "ひらがな カタカナ ｶﾀｶﾅ"),
    ("cjk", "서울은 대한민국의 수도입니다"),
    ("cjk", "北京2024年奥运会abc"),
    ("cjk", "㐀㐁 丽 𠀀𠀁"),
    ("cjk", "ＡＢＣ１２３ full width"),
    ("scripts", "Москва является столицей России"),
    ("scripts", "Съешь же ещё этих мягких французских булок"),
    ("scripts", "Ελληνικά: Η γρήγορη καφέ αλεπού"),
    ("scripts", "العربية: ذهب الولد إلى المدرسة"),
    ("scripts", "עברית: הילד הלך לבית הספר"),
    # emoji
    ("emoji", "I love pizza 🍕 and coffee ☕"),
    ("emoji", "🎉🎉🎉 party"),
    ("emoji", "red heart ❤️ and ❤"),
    ("emoji", "family 👨‍👩‍👧 and thumbs 👍🏽"),
    ("emoji", "flags 🇫🇷🇯🇵"),
    ("emoji", "😂😂😂"),
    ("emoji", "rocket🚀launch"),
    # control and zero-width characters
    ("control", "null\u0000byte"),
    ("control", "bell\u0007and\u001b[31mescape\u001b[0m"),
    ("control", "zero\u200bwidth\u200cnon\u200djoiner"),
    ("control", "\ufeffbyte order mark"),
    ("control", "soft\u00adhyphen"),
    ("control", "delete\u007fchar and \u0085next line"),
    ("control", "replacement \ufffd char"),
    ("control", "vertical\u000btab and form\u000cfeed"),
    ("control", "word\u2060joiner and \u2028line \u2029para"),
    ("control", "private \ue000 use \uf8ff"),
    # whitespace
    ("whitespace", "line one\nline two\nline three"),
    ("whitespace", "windows\r\nline\r\nendings"),
    ("whitespace", "tab\tseparated\tvalues"),
    ("whitespace", "  many    spaces   between  "),
    ("whitespace", "no\u00a0break\u00a0space"),
    ("whitespace", "em\u2003space and ideographic\u3000space"),
    ("whitespace", "\n\n\tleading and trailing\t\n\n"),
    ("whitespace", "glued\nwords\nhere"),
    # URLs, e-mail, code
    ("url", "https://example.com/path/to/page?q=rerank&lang=en#section-2"),
    ("url", "Contact support@example.com or visit www.example.org/docs."),
    ("url", "ftp://files.example.net:21/pub/data_2024-01-01.tar.gz"),
    ("code", "def rerank(query, docs): return sorted(docs, key=score, reverse=True)"),
    ("code", "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }"),
    ("code", "if (a != b && c >= d || !e) { x ^= y; } // done"),
    ("code", "<div class=\"result\">Hello &amp; welcome</div>"),
    ("code", "SELECT * FROM docs WHERE score >= 0.5 ORDER BY score DESC;"),
    ("code", "{\"id\": 42, \"tags\": [\"a\", \"b\"], \"price\": 9.99}"),
    ("code", "git commit -m 'fix: handle $HOME and ~/.config' && echo `date`"),
    # numbers and symbols
    ("symbols", "$100 + $20 = $120"),
    ("symbols", "50% off: €30, £25, ¥3000, ₹2500"),
    ("symbols", "a+b=c, x^2, y~z, p|q, <tag>, `code`"),
    ("symbols", "© 2024 Rerank™ ® § ¶ † ‡ • …"),
    ("symbols", "1,000,000.50 3.14159 6.022e23 -42 +7"),
    ("symbols", "½ ¼ ¾ ² ³ ¹ ⅓"),
    ("symbols", "→ ← ↑ ↓ ⇒ ∀ ∃ ∑ ∏ √ ∞ ≠ ≤ ≥"),
    ("symbols", "“smart quotes” ‘single’ «guillemets» — en–dash"),
    ("symbols", "#hashtag @mention !!! ??? ..."),
    ("symbols", "°C °F µm Ω Å K"),
    # long words (WordPiece max_input_chars_per_word = 100)
    ("longword", "a" * 99),
    ("longword", "b" * 100),
    ("longword", "c" * 101),
    ("longword", "pneumonoultramicroscopicsilicovolcanoconiosis" * 3),
    ("longword", "x" * 150 + " short words after"),
    # special tokens written in the text: the fast tokenizers map them to their ids before normalising
    ("special", "what is [SEP] and [CLS]?"),
    ("special", "[MASK]ed and a [mask] b"),
    ("special", "see [SEP][SEP]  end [PAD][UNK]"),
    ("special", "x<s>y and </s></s>"),
    ("special", "hello   <mask>world <unk> <pad>"),
    # empty or empty after normalisation
    ("empty", ""),
    ("empty", " "),
    ("empty", "\u200b"),
    ("empty", "\u0000\u0007\u001b"),
    ("empty", "\t\n\r "),
    ("empty", "\ufeff\u200b\u00ad"),
]

QUERIES = [
    "what is this about?",
    "How to process organic waste?",
    "Café près de la gare",
    "北京的天气",
    "price in $ and €",
]

WORDS = ("the of and to in is was for on that with as by at from this are be it an or have which "
         "compost waste soil recycling plastic nuclear energy water river city market language model "
         "search query document relevance score passage answer question retrieval neural network "
         "café résumé naïve Москва столица 北京 東京 서울 🍕 😂 $5 +3 =4 50% €20 https://example.com "
         "don't isn't l'école e-mail co-operate").split()


def words(n, seed):
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def cases():
    """Returns [(name, query, document, budget)] in a fixed order."""
    out = []
    for i, (kind, text) in enumerate(TEXTS):
        out.append((f"{kind}/document/{i}", QUERIES[i % len(QUERIES)], text, None))
        out.append((f"{kind}/query/{i}", text, TEXTS[(i * 7 + 3) % len(TEXTS)][1], None))

    # Truncation: the budget is the number of content tokens kept (max_length minus special tokens).
    long_doc = words(700, 1)
    long_query = words(120, 2)
    medium = words(40, 3)
    short = "how to compost?"
    out += [
        ("truncation/document-only/budget-29", short, long_doc, 29),
        ("truncation/document-only/budget-64", short, long_doc, 64),
        ("truncation/document-only/budget-125", "What is the capital of France?", long_doc, 125),
        ("truncation/document-only/budget-508", short, long_doc, 508),
        ("truncation/document-only/budget-509", short, long_doc, 509),
        ("truncation/document-only/budget-507", short, long_doc, 507),
        ("truncation/both/budget-29", long_query, long_doc, 29),
        ("truncation/both/budget-30", long_query, long_doc, 30),
        ("truncation/both/budget-61", long_query, long_doc, 61),
        ("truncation/both/budget-128", long_query, long_doc, 128),
        ("truncation/both/budget-508", long_query + " " + long_query + " " + long_query + " " + long_query,
         long_doc, 508),
        ("truncation/equal/budget-29", medium, medium, 29),
        ("truncation/equal/budget-30", medium, medium, 30),
        ("truncation/equal/budget-8", long_query, long_query, 8),
        ("truncation/equal/budget-9", long_query, long_query, 9),
        ("truncation/query-longer/budget-29", long_query, short, 29),
        ("truncation/query-longer/budget-64", long_query, "a short document about compost", 64),
        ("truncation/query-longer/budget-125", long_query + " " + long_query, medium, 125),
        ("truncation/query-longer-both/budget-20", long_query, medium, 20),
        ("truncation/tiny/budget-1", short, medium, 1),
        ("truncation/tiny/budget-2", short, medium, 2),
        ("truncation/tiny/budget-3", medium, short, 3),
        ("truncation/zero/budget-0", short, medium, 0),
        ("truncation/empty-query/budget-16", "", long_doc, 16),
        ("truncation/empty-document/budget-16", long_query, "", 16),
        ("truncation/multilingual/budget-48", "Москва 北京 café 🍕 " * 8, "東京 서울 naïve $5 +3 " * 30, 48),
        ("truncation/multilingual/budget-100", "Съешь же ещё " * 10, "搜索引擎首先检索候选文档 " * 40, 100),
        ("truncation/long-words/budget-40", "x" * 150 + " " + "y" * 20, ("z" * 120 + " ") * 10, 40),
        ("truncation/whitespace/budget-33", "\n".join(["line"] * 30), "\t".join(["cell"] * 80), 33),
        ("truncation/code/budget-50", "for (i = 0; i < n; i++) " * 5, "a[i] += b[i] * c[i]; " * 40, 50),
        ("truncation/symbols/budget-45", "$ + = % € " * 10, "^ ~ ` | < > " * 30, 45),
        ("truncation/one-over/budget-20", words(10, 4), words(11, 5), 20),
    ]
    # A run of budgets over one pair, to cover odd and even budgets on both sides of every branch.
    for budget in (4, 5, 6, 7, 10, 11, 15, 16, 23, 24, 31, 32, 47, 48, 63, 64, 95, 96, 127, 128, 255, 256):
        out.append((f"truncation/sweep/budget-{budget}", words(45, 6), words(160, 7), budget))
    return out
