# kbfixture.sh -- sourced by integration tests: make_kb DIR writes a
# small valid knowledge base (three intents, two sources) into DIR.
make_kb() {
	mkdir -p "$1/intents" || return 1
	cp faq/crisis.json "$1/crisis.json" || return 1
	cat >"$1/sources.json" <<'JSON'
{"sources": [
 {"id": "src-a", "title": "Article A", "publisher": "Pub", "author": "Ann",
  "date": "2023-04-01", "url": "https://example.org/a", "caveat": "a blog"},
 {"id": "src-b", "title": "Article B", "publisher": "not stated",
  "author": "not stated", "date": "not stated", "url": "not stated",
  "caveat": "AI text"}
]}
JSON
	cat >"$1/intents/drug.json" <<'JSON'
{"intents": [
 {"id": "drug.what_is", "question": "What is drugol?",
  "examples": ["what is drugol", "whats drugol", "what's drugol for",
   "tell me about drugol", "drugol what is it", "what kind of drug is drugol",
   "explain drugol", "drugol info", "what is drugol exactly",
   "can you tell me what drugol is", "i want to know what drugol is",
   "define drugol"],
  "answer": "Drugol is a made-up medicine.", "sources": ["src-a", "src-b"]},
 {"id": "drug.side", "question": "What are drugol's side effects?",
  "examples": ["drugol side effects", "side effects of drugol",
   "does drugol make you sleepy", "adverse effects drugol",
   "what does drugol do to you", "drugol bad effects",
   "any side effects with drugol", "drugol reactions",
   "can drugol make me tired", "drugol sleepiness", "drugol nausea",
   "problems after taking drugol"],
  "answer": "Sleepiness, says article A.", "sources": ["src-a"]},
 {"id": "bot.greeting", "question": "Hello!",
  "examples": ["hello", "hi", "hey", "hi there", "good morning",
   "hello bot", "hey there", "hiya", "greetings", "good evening",
   "yo", "howdy"],
  "answer": "Hello! Ask me about drugol.", "sources": []}
]}
JSON
	cat >"$1/messages.json" <<'JSON'
{"disclaimer": "General information, not medical advice.",
 "greeting": "Hi, I answer drugol questions.",
 "no_match": "Sorry, I don't know that.",
 "did_you_mean": "Did you mean:",
 "see_doctor": "Ask a doctor or pharmacist."}
JSON
}
