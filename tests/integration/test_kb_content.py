#!/usr/bin/env python3
"""test_kb_content.py -- content rules of the knowledge base in faq/.

Checks the medical-content rules that the JSON schema alone cannot:
every required intent present, answers short and dose-free, sources and
related ids known, example questions unique across intents, no answer
copying a run of words from the seed articles, lexicon variants unambiguous.
It does not test the loader or `faqbot check` (their own tests do).
Prints one line per failure to stderr and "N passed, N failed" last.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAQ = os.path.join(ROOT, "faq")
SEEDS = os.path.join(ROOT, "..", "shared", "seeds")

SEED_IDS = {"psychreg-klonopin-depression", "klonopin-serotonin",
            "melatonin-clonazepam", "xanax-depression"}
SOURCE_FIELDS = ("id", "title", "publisher", "author", "date", "url", "caveat")
MAX_ANSWER = 700
MIN_EXAMPLES = 12
COPY_WORDS = 10          # a run this long shared with a seed counts as copied

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what, file=sys.stderr)
    return ok


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        check(False, "%s: %s" % (path, e))
        return None


def norm(text):
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


# Digits in an answer are allowed only in a year or in "omega-3": anything
# else could be a dose, a count of pills or an invented statistic.
ALLOWED_DIGITS = re.compile(r"\b(19|20)\d\d\b|omega-3")
DOSE_WORDS = re.compile(r"\b(mg|mcg|milligrams?|micrograms?|ml|tablets? a day|"
                        r"pills? a day|times a day|per day|twice daily)\b", re.I)


def check_sources():
    doc = load(os.path.join(FAQ, "sources.json"))
    if doc is None:
        return set()
    ids = set()
    for s in doc.get("sources", []):
        sid = s.get("id", "?")
        for k in SOURCE_FIELDS:
            check(isinstance(s.get(k), str) and s.get(k).strip() != "",
                  "sources.json: %s: field %s missing or empty" % (sid, k))
        check(sid not in ids, "sources.json: duplicate id %s" % sid)
        ids.add(sid)
    check(ids == SEED_IDS, "sources.json: ids %s, expected %s" % (sorted(ids), sorted(SEED_IDS)))
    return ids


def required_ids():
    ids = []
    with open(os.path.join(FAQ, "required-intents.tsv"), encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n == 0 or not line.strip():
                continue
            ids.append(line.split("\t")[0])
    return ids


def seed_ngrams():
    grams = set()
    if not check(os.path.isdir(SEEDS), "seed articles not found at ../shared/seeds"):
        return grams
    for name in sorted(os.listdir(SEEDS)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
            words = norm(f.read()).split()
        for i in range(len(words) - COPY_WORDS + 1):
            grams.add(" ".join(words[i:i + COPY_WORDS]))
    return grams


def check_intents(source_ids):
    intents = []
    idir = os.path.join(FAQ, "intents")
    for name in sorted(os.listdir(idir)):
        if name.endswith(".json"):
            doc = load(os.path.join(idir, name))
            if doc is not None:
                intents += [(name, e) for e in doc.get("intents", [])]
    by_id = {}
    for name, e in intents:
        iid = e.get("id", "?")
        check(iid not in by_id, "%s: %s: duplicate intent id" % (name, iid))
        by_id[iid] = e
    for rid in required_ids():
        check(rid in by_id, "required intent %s missing" % rid)

    grams = seed_ngrams()
    seen = {}
    for name, e in intents:
        iid = e.get("id", "?")
        where = "%s: %s" % (name, iid)
        check(isinstance(e.get("question"), str) and e["question"].strip() != "",
              where + ": no canonical question")
        ex = e.get("examples", [])
        check(len(ex) >= MIN_EXAMPLES, where + ": %d examples, need %d" % (len(ex), MIN_EXAMPLES))
        for q in ex:
            k = norm(q)
            if not check(k != "", where + ": empty example"):
                continue
            other = seen.get(k)
            check(other is None, where + ": example %r also under %s" % (q, other))
            seen.setdefault(k, iid)
        ans = e.get("answer", "")
        n = len(ans.encode("utf-8"))
        check(0 < n <= MAX_ANSWER, where + ": answer is %d bytes (limit %d)" % (n, MAX_ANSWER))
        stripped = ALLOWED_DIGITS.sub("", ans)
        check(not re.search(r"\d", stripped), where + ": digits in answer (dose or number?)")
        check(not DOSE_WORDS.search(ans), where + ": dose wording in answer")
        check("betterhelp" not in ans.lower(), where + ": advertising in answer")
        check("source:" not in ans.lower(), where + ": source line belongs to the composer")
        words = norm(ans).split()
        copied = [" ".join(words[i:i + COPY_WORDS]) for i in range(len(words) - COPY_WORDS + 1)
                  if " ".join(words[i:i + COPY_WORDS]) in grams]
        check(not copied, where + ": answer copies the articles: %r" % (copied[:1],))
        srcs = e.get("sources", [])
        if iid.startswith("bot."):
            check(srcs == [], where + ": bot intents cite no article")
        else:
            check(len(srcs) > 0, where + ": no sources")
        for s in srcs:
            check(s in source_ids, where + ": unknown source %s" % s)
        for r in e.get("related", []):
            check(r in by_id and r != iid, where + ": bad related id %s" % r)
    return len(intents), len(seen)


def check_lexicon():
    doc = load(os.path.join(FAQ, "lexicon.json"))
    if doc is None:
        return
    owner = {}
    canon = set()
    for c in doc.get("concepts", []):
        cn = c.get("canonical", "")
        check(cn != "" and cn == cn.lower(), "lexicon: bad canonical %r" % cn)
        check(cn not in canon, "lexicon: canonical %r twice" % cn)
        canon.add(cn)
        vs = c.get("variants", [])
        check(len(vs) > 0, "lexicon: %s has no variants" % cn)
        for v in vs:
            check(v == v.lower() and v.strip() != "", "lexicon: %s: variant %r not lowercase" % (cn, v))
            check(owner.get(v, cn) == cn, "lexicon: %r under %s and %s" % (v, owner.get(v), cn))
            owner[v] = cn
    for v, cn in owner.items():
        check(v not in canon, "lexicon: variant %r of %s is itself a canonical" % (v, cn))
    for drug in ("klonopin", "xanax", "prozac", "zoloft", "lexapro", "effexor", "cymbalta",
                 "elavil", "pamelor", "wellbutrin", "remeron", "benzo"):
        check(drug in owner, "lexicon: %s missing" % drug)


def main():
    ids = check_sources()
    nint, nex = check_intents(ids)
    check_lexicon()
    print("kb content: %d intents, %d examples" % (nint, nex), file=sys.stderr)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
