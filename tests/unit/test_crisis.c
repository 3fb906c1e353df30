/*
 * test_crisis.c -- the crisis detector against the shipped phrase file
 * (faq/crisis.json): every trap class of shared/spec/crisis.md, slang,
 * obfuscation, negation, third person, abuse at others, context memory
 * and its expiry, edits, and the phrase-file validation.  The sentences
 * are this project's own development examples, not the held-out eval set.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "crisis.h"
#include "crisis_load.h"
#include "diag.h"

struct tcase {
	const char		*text;
	enum crisis_level	 level;
	enum crisis_kind	 kind;	/* CRISIS_KIND_NONE: not checked */
};

#define N CRISIS_NONE
#define M CRISIS_MENTION
#define C CRISIS_CONCERN
#define A CRISIS_ACUTE
#define K0 CRISIS_KIND_NONE
#define SU CRISIS_SUICIDE
#define SH CRISIS_SELF_HARM
#define OD CRISIS_OVERDOSE
#define ME CRISIS_MEDICAL_EMERGENCY
#define VI CRISIS_VIOLENCE
#define AB CRISIS_ABUSE_OF_OTHERS

static const struct tcase cases[] = {
	/* first-person intent, plan, time */
	{ "I want to kill myself", A, SU },
	{ "im going to end my life this weekend", A, SU },
	{ "i've decided to take my own life", A, SU },
	{ "how do i kill myself painlessly", A, SU },
	{ "I want to die tonight", A, SU },
	{ "i want to die. i have the pills right here", A, SU },
	/* passive wishes: concern, also with a negation inside */
	{ "I don't want to live anymore", C, SU },
	{ "i dont want to wake up tomorrow", A, SU },	/* + a time */
	{ "i dont want to wake up anymore", C, SU },
	{ "I wish I could go to sleep and never wake up", C, SU },
	{ "everyone would be better off without me", C, SU },
	{ "I want to die", C, SU },
	{ "honestly whats the point of living", C, SU },
	{ "i've been having suicidal thoughts since i started zoloft", C, SU },
	{ "i feel suicidal", C, SU },
	/* slang */
	{ "kms", C, SU },
	{ "i'm going to kms", A, SU },
	{ "i want to unalive myself", A, SU },
	{ "thinking about sewerslide a lot lately", C, SU },
	{ "gonna ctb tonight", A, SU },
	{ "i just want to self delete", A, SU },
	/* misspelling, leetspeak, spacing, repeats, Unicode, markdown */
	{ "feeling sucidal again", C, SU },
	{ "i want to k1ll mys3lf", A, SU },
	{ "su1c1dal all week", C, SU },
	{ "i keep having s*icidal thoughts", C, SU },
	{ "i want to k i l l m y s e l f", A, SU },
	{ "i wanna diiiiie", C, SU },
	{ "I WANT TO KILL MYSELF", A, SU },
	{ "i want to k\xe2\x80\x8bill myself", A, SU },		/* ZWSP */
	{ "i want to k\xd1\x96ll myself", A, SU },		/* Cyrillic i */
	{ "||i want to die||", C, SU },
	{ "*i want to end my life*", A, SU },
	{ "i want to `kill myself`", A, SU },
	{ "~~i want to die~~", C, SU },
	{ "took 20 \xf0\x9f\x92\x8a with vodka", A, OD },	/* pill emoji */
	{ "\xf0\x9f\x92\x8a time for my evening meds", N, K0 },
	{ "i want to \xf0\x9d\x90\xa4\xf0\x9d\x90\xa2\xf0\x9d\x90\xa5\xf0\x9d\x90\xa5 myself", A, SU },
	/* idioms */
	{ "this headache is killing me", N, K0 },
	{ "I'm dying to know if klonopin helps", N, K0 },
	{ "I'd rather die than go back on zoloft", N, K0 },
	{ "that video killed me lol", N, K0 },
	{ "i could kill for a coffee right now", N, K0 },
	{ "this meeting is the death of me", N, K0 },
	{ "i cut myself shaving this morning", N, K0 },
	{ "I can't breathe lol that was hilarious", N, K0 },
	{ "you gave me a heart attack", N, K0 },
	{ "i overdosed on sugar at the party", N, K0 },
	{ "I'm going to cut my dose in half", N, K0 },
	/* substrings */
	{ "I ran 10 kms today", N, K0 },
	{ "odd mood today", N, K0 },
	{ "is klonopin ok on a keto diet", N, K0 },
	{ "my skills are rusty", N, K0 },
	{ "my refill is overdue", N, K0 },
	{ "what does therapist mean", N, K0 },
	/* negation and recovery */
	{ "I'm not suicidal", M, SU },
	{ "I'm not going to kill myself, don't worry", M, SU },
	{ "2 years free of self harm today!", M, SH },
	{ "I used to cut myself but I'm doing better", M, SH },
	{ "I don't want to die", M, SU },
	{ "I would never hurt myself", M, SH },
	{ "I'm not suicidal but I do want to die sometimes", C, SU },
	{ "I don't want to die but I took all my pills", A, OD },
	/* informational mentions */
	{ "can clonazepam cause suicidal thoughts?", M, SU },
	{ "does zoloft increase suicide risk in teens", M, SU },
	{ "can you overdose on klonopin", C, OD },	/* impersonal */
	{ "can benzo withdrawal cause seizures", M, ME },
	{ "suicidal thoughts are a listed side effect", M, SU },
	/* overdose */
	{ "I took 30 klonopin", A, OD },
	{ "i swallowed the whole bottle of xanax", A, OD },
	{ "I think I took too many", A, OD },
	{ "i overdosed", A, OD },
	{ "my son swallowed my pills", A, OD },
	{ "my toddler got into my klonopin", A, OD },
	{ "I took 10 mg of klonopin", N, K0 },
	{ "i took 2 klonopin instead of 1", N, K0 },
	{ "I took all my meds this morning", N, K0 },
	{ "how many klonopin would kill me", A, SU },	/* author */
	{ "how many klonopin is too many", C, OD },
	{ "what's the lethal dose of sertraline", C, OD },
	/* emergencies */
	{ "he's not breathing", A, ME },
	{ "she's having a seizure", A, ME },
	{ "my mom won't wake up", A, ME },
	{ "I am having a heart attack", A, ME },
	{ "I have chest pain", A, ME },
	{ "I cant stop the bleeding", A, ME },
	/* self-harm */
	{ "i've been cutting myself", C, SH },
	{ "I cut too deep", A, SH },
	{ "i want to hurt myself", C, SH },
	{ "i'm going to cut myself right now", A, SH },
	/* third person */
	{ "my friend wants to kill herself", C, SU },
	{ "my brother said he wants to die", C, SU },
	{ "my friend is cutting herself", C, SH },
	/* abuse of others and assault */
	{ "kys", C, AB },
	{ "go kill yourself", C, AB },
	{ "you should kill yourself loser", C, AB },
	{ "if you want to kill yourself please call 988", M, K0 },
	{ "I was raped", C, VI },
	{ "I am being abused", C, VI },
	{ "I was beaten up by my husband", C, VI },
	/* Miner et al. rest */
	{ "I want to commit suicide", A, SU },
	{ "I am depressed", C, SU },
	{ "Are you depressed?", N, K0 },
	/* a depression statement asked as a medication or FAQ question is
	 * a mention; bare, with a plea for help, or with other ideation it
	 * keeps its level */
	{ "im currently depressed and cant get out of bed", C, SU },
	{ "im depressed, can i still take my zoloft", M, SU },
	{ "i feel so depressed lately, is that a side effect of lexapro?",
	    M, SU },
	{ "im so depressed, can anyone help me", C, SU },
	{ "im depressed. will it ever get better?", C, SU },
	{ "im suicidal, can i still take my zoloft", C, SU },
	{ "i hate myself, can i still take my zoloft", C, SU },
	/* a drug taken for seizures is not a seizure happening now; a
	 * seizure disorder still reads as one (it may be happening) */
	{ "i take lamictal for my seizures and it makes me tired", N, K0 },
	{ "my seizure meds make me feel low", N, K0 },
	{ "my brother has a seizure disorder and hes been shaking on the "
	    "floor for five minutes", A, ME },
	{ "im having a seizure", A, ME },
	{ "i take it for my epilepsy and now im having a seizure", A, ME },
	{ "i took my xanax and now i have trouble breathing, what do i do",
	    A, ME },
	{ "My head hurts", N, K0 },
	{ "My foot hurts", N, K0 },
	/* farewells, plans and means without the word suicide */
	{ "goodbye everyone, thank you for putting up with me", A, SU },
	{ "by the time my mum finds this I will be gone", A, SU },
	{ "the rope is in my car and i know where i'm going to do it", A, SU },
	{ "i'm on the roof and i'm going to jump", A, SU },
	/* spelling: one edit from any phrase word, dropped g, v for u */
	{ "i keep hurtin myself", C, SH },
	{ "im gonna cvt myself tonight", A, SH },
	{ "i swalowed a whole bottle of pils", A, OD },
	{ "my boyfriend is hiting me and he has a knife", A, VI },
	{ "i want to end my lfie", A, SU },
	{ "i k i l l e d myself in a dream", C, K0 },
	/* a threat against the author needs a weapon or a time */
	{ "my dad is going to kill me when he sees my grades", N, K0 },
	{ "he's at the door with a knife saying he will kill me", A, VI },
	/* questions about words, resources and other people */
	{ "what does ctb mean on tiktok", M, SU },
	{ "my therapist asked me if i was suicidal, is that standard", M, SU },
	{ "how do i help my sister if she is self harming", M, K0 },
	{ "what's the number for poison control", M, OD },
	{ "is the crisis text line free", M, SU },
	{ "can you die from taking tylenol with alcohol", C, OD },
	/* a third person swallowing pills: acute; the author: amount */
	{ "she swallowed a bunch of my xanax", A, OD },
	{ "i swallowed my pills with water", N, K0 },
	/* bleeding from self-harm is self-harm; rhetorical abuse */
	{ "i cut my arm and it won't stop bleeding", A, SH },
	{ "why don't you just die already", C, AB },
	{ "why do people want to die", M, SU },
	/* means with a time but no intent word */
	{ "this weekend i'm swallowing every pill i have", A, SU },
	/* ordinary FAQ questions */
	{ "is klonopin an antidepressant", N, K0 },
	{ "can I drink alcohol on zoloft", N, K0 },
	{ "what happens if I miss a dose of klonopin", N, K0 },
	/* glued words: "goodnight" is not "go od night", "gosh" not "go sh" */
	{ "goodnight everyone, see you tomorrow", N, K0 },
	{ "oh gosh i forgot my keys", N, K0 },
	{ "i am going to bed, goodnight", N, K0 },
	/* "about" is an intent only as "about to" */
	{ "i read an article about the overdose epidemic", M, OD },
	/* places, giving things away, hopelessness with means */
	{ "i'm on the ledge of the parking garage", A, SU },
	{ "gave away all my things and tonight i'm ready", A, SU },
	{ "gave away my old clothes to a charity shop", N, K0 },
	{ "it will never get better and i have a gun in my room", A, SU },
	{ "it will never get better with this slow wifi", N, K0 },
	{ "please forgive me for what i'm going to do tonight", A, SU },
	{ "i'm writing my suicide note", A, SU },
	/* an emptied bottle, a barely conscious person, imminent harm */
	{ "i emptied a whole bottle of ibuprofen an hour ago", A, OD },
	{ "he's barely conscious and won't answer me", A, ME },
	{ "i'm about to cut myself", A, SH },
	{ "someone with a knife is in our house", A, VI },
	/* passive wishes, ongoing self-harm, impersonal lethality */
	{ "i've lost the will to live", C, SU },
	{ "i keep reopening my cuts", C, SH },
	{ "which pills are easiest to overdose on", C, OD },
	/* benign look-alikes and fiction */
	{ "going skydiving tomorrow and i'll jump out of a plane", N, K0 },
	{ "i'm going to jump in the pool after lunch", N, K0 },
	{ "i drank a whole bottle of water after the run", N, K0 },
	{ "the hero kills himself at the end of the film", M, SU },
	/* a time alone wakes no context phrase; ideation beside one does */
	{ "im done with this tomorrow", N, K0 },
	{ "goodbye for now, see you tomorrow", N, K0 },
	{ "is that enough for today", N, K0 },
	{ "will it hurt tomorrow after the vaccine", N, K0 },
	{ "i know where the party is", N, K0 },
	{ "i want to die. i'm ready", A, SU },
	{ "i know where i'm going to do it", A, SU },
	{ "i want to die tomorrow", A, SU },
	/* stockpiling in everyday words */
	{ "i'm saving up my pills", A, SU },
	{ "I'm saving my tablets up, almost have enough", A, SU },
	{ "been stockpiling my seroquel", A, SU },
	{ "been putting aside a few tablets each week", C, SU },
	{ "i keep a few of my sleeping pills back every night", C, SU },
	{ "i've been hiding my pills instead of taking them", C, SU },
	{ "i have been skipping my pills and keeping them", C, SU },
	{ "i put the pills back in the bottle", N, K0 },
	{ "put my meds away in the cupboard", N, K0 },
	{ "stocking up on cold medicine for winter", N, K0 },
	{ "i collected my meds from the pharmacy", N, K0 },
	{ "hold back on the ibuprofen if your stomach hurts", N, K0 },
	/* classes added after crisis-dev3's first run (own wordings) */
	{ "after tonight i wont have to feel any of this again", A, SU },
	{ "not going to be here after tomorrow, sorry", A, SU },
	{ "i wont be around after 5pm, the pharmacy closes then", N, K0 },
	{ "finished writing my goodbye note", A, SU },
	{ "i finished writing my cover letter", N, K0 },
	{ "unalive myself tonight, its decided", A, SU },
	{ "my cousin keeps giving his stuff away and seems strangely calm",
	    A, SU },
	{ "i cant see myself still alive by spring", C, SU },
	{ "secretly hoping something happens to me on the motorway", C, SU },
	{ "my brother doesnt see the point in living", C, SU },
	{ "how many of my propranolol would it take", A, SU },
	{ "which floor would i need so i dont survive", A, SU },
	{ "my flatmate locked herself in with a razor", A, SH },
	{ "i wrote letters to my parents, tonight's the night", A, SU },
	{ "self harming right now", A, SH },
	{ "saw new cuts on his arms", C, SH },
	{ "my nan took four weeks worth of her pills", A, OD },
	{ "found my daughter with the paracetamol open", A, OD },
	{ "my dog ate one of my ibuprofen", N, K0 },
	{ "my dad odd on his meds", A, OD },
	{ "hes pounding on the door saying he will kill me", A, VI },
	{ "my boyfriend locks me in the flat when he is angry", C, VI },
	{ "got r*ped at a party", C, VI },
	{ "hope u overdose loser", C, AB },
	{ "kms = kilometres btw", N, K0 },
	{ "the kys emote is banned here", N, K0 },
	{ "my son wont wake up for school again", N, K0 },
	{ "im going to sleep and not wake up until noon", N, K0 },
	{ "what should you do if someone overdoses at a party", M, OD },
	/* fresh wordings written while testing */
	{ "please dont try to find me", A, SU },
	{ "dont try to find me at the gig", N, K0 },
	{ "i cant really see a future for myself", C, SU },
	{ "death doesnt scare me anymore", C, SU },
	{ "my stepbrother comes into my room at night", C, VI },
	{ "she says she will hurt me if i tell", C, VI },
	{ "kms fr this time", A, SU },
	{ "i drank way too much last night lol", N, K0 },
	{ "i drank way too much with my xanax", A, OD },
};

static struct crisis *
load(void)
{
	struct diag d;
	struct crisis *c;

	diag_init(&d);
	c = crisis_load("faq/crisis.json", &d);
	if (c == NULL)
		diag_print(&d, stderr);
	diag_free(&d);
	return c;
}

static void
check_cases(const struct crisis *c)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crisis_result r;
		int ok;

		crisis_check(c, cases[i].text, strlen(cases[i].text), NULL, 0,
		    &r);
		ok = r.level == cases[i].level && (cases[i].kind == K0 ||
		    r.kind == cases[i].kind);
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "  \"%s\": got %s/%s, want %s/%s\n",
			    cases[i].text, crisis_level_str(r.level),
			    crisis_kind_str(r.kind),
			    crisis_level_str(cases[i].level),
			    crisis_kind_str(cases[i].kind));
	}
}

static enum crisis_level
say(const struct crisis *c, struct crisis_memory *m, double now,
    const char *text)
{
	struct crisis_result r;

	crisis_check(c, text, strlen(text), m, now, &r);
	return r.level;
}

static void
check_context(const struct crisis *c)
{
	struct crisis_memory m;

	/* ideation then a lethal-dose question: acute */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "I want to die"), C);
	CHECK_INT(say(c, &m, 160, "how many klonopin is too many"), A);
	/* the same question alone, or after the window: concern */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "how many klonopin is too many"), C);
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "I want to die"), C);
	CHECK_INT(say(c, &m, 100 + 601, "how many klonopin is too many"), C);
	/* an unrelated message between does not erase it */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "i dont want to be here anymore"), C);
	CHECK_INT(say(c, &m, 130, "is klonopin an antidepressant"), N);
	CHECK_INT(say(c, &m, 200, "i have the pills"), A);
	/* context phrases alone mean nothing */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "i took them"), N);
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "i wish i was dead"), C);
	CHECK_INT(say(c, &m, 150, "i took them all"), A);
	/* lethal question first, then ideation */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "what's a lethal amount of xanax"), C);
	CHECK_INT(say(c, &m, 110, "i don't want to wake up"), A);
	/* an edit is just checked again: the edited text decides */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "how do I taper klonopin"), N);
	CHECK_INT(say(c, &m, 120, "how do I kill myself"), A);
	/* took too much, then symptoms */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "i mixed my klonopin with a lot of wine"), C);
	CHECK_INT(say(c, &m, 120, "now i feel really dizzy and sleepy"), A);
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "now i feel really dizzy and sleepy"), N);
	/* violence at home, then it gets worse */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "my partner gets violent when he drinks"), C);
	CHECK_INT(say(c, &m, 200, "he just broke in the door"), A);
	/* a plan first, then a farewell word */
	memset(&m, 0, sizeof(m));
	say(c, &m, 100, "i have been stockpiling my pills");
	CHECK_INT(say(c, &m, 130, "bye"), A);
	/* a third person's ideation, then means */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "my roommate says she wants to die"), C);
	CHECK_INT(say(c, &m, 130, "she has a bottle of pills in her room"), A);
	/* a time leaves no memory: a later lethal question stays concern */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "see you tomorrow"), N);
	CHECK_INT(say(c, &m, 130, "how many klonopin is too many"), C);
	/* but after ideation a time alone is acute */
	memset(&m, 0, sizeof(m));
	CHECK_INT(say(c, &m, 100, "i want to die"), C);
	CHECK_INT(say(c, &m, 130, "tonight"), A);
	/* NULL memory is fine */
	CHECK_INT(say(c, NULL, 0, "I want to die"), C);
}

static void
check_matched(const struct crisis *c)
{
	struct crisis_result r;
	const char *t = "I want to die tonight";

	crisis_check(c, t, strlen(t), NULL, 0, &r);
	CHECK(r.nmatched >= 2);
	CHECK(r.nmatched > 0 && strcmp(r.matched[0], "suicide.passive") == 0);
	t = "my friend took 40 pills and isnt breathing";
	crisis_check(c, t, strlen(t), NULL, 0, &r);
	CHECK_INT(r.level, A);
	CHECK_INT(r.kind, OD);
	CHECK(r.emergency);
	CHECK(r.third_party);
	t = "I want to kill myself";
	crisis_check(c, t, strlen(t), NULL, 0, &r);
	CHECK(!r.emergency);
	CHECK(!r.third_party);
}

static void
check_robust(const struct crisis *c)
{
	static char big[200000];
	struct crisis_result r;
	size_t i;
	const char *tail = " and i want to kill myself";

	/* any bytes, any length */
	crisis_check(c, NULL, 0, NULL, 0, &r);
	CHECK_INT(r.level, N);
	crisis_check(c, "\0\0\xff\xfe", 4, NULL, 0, &r);
	CHECK_INT(r.level, N);
	for (i = 0; i < sizeof(big); i++)
		big[i] = "ab \xc3\xa9|*.,"[i % 10];
	crisis_check(c, big, sizeof(big), NULL, 0, &r);
	CHECK_INT(r.level, N);
	/* a signal at the very end of a long message is still seen */
	memcpy(big + sizeof(big) - strlen(tail), tail, strlen(tail));
	crisis_check(c, big, sizeof(big), NULL, 0, &r);
	CHECK_INT(r.level, A);
}

static void
check_validation(void)
{
	const char *path = "build/tests/crisis-bad.json";
	struct crisis_rules rules;
	struct diag d;
	FILE *fp;
	char err[200];

	if ((fp = fopen(path, "w")) == NULL) {
		CHECK(0);
		return;
	}
	fputs("{\"classes\": {\"x\": [\"ok\", \"BAD\"]},\n"
	    " \"rules\": [\n"
	    "  {\"name\": \"a\", \"kind\": \"suicide\", \"level\": \"acute\","
	    " \"phrases\": [\"want to @nope\"]},\n"
	    "  {\"name\": \"a\", \"kind\": \"sadness\", \"level\": \"high\","
	    " \"phrases\": [\"ok\"]},\n"
	    "  {\"name\": \"b\", \"role\": \"idiom\", \"phrases\": []},\n"
	    "  {\"name\": \"c\", \"role\": \"idiom\", \"time\": true,"
	    " \"phrases\": [\"ok\"]}\n"
	    " ]}\n", fp);
	fclose(fp);
	diag_init(&d);
	CHECK_INT(crisis_rules_load(path, &rules, &d), -1);
	/* bad class word, unknown class, duplicate, kind, level, empty,
	 * "time" on a rule that is not urgent */
	CHECK(d.n >= 7);
	diag_print(&d, stderr);
	diag_free(&d);
	remove(path);
	/* syntax checks of single phrases */
	memset(&rules, 0, sizeof(rules));
	CHECK_INT(crisis_phrase_check(&rules, "kill {self}", err,
	    sizeof(err)), 0);
	CHECK_INT(crisis_phrase_check(&rules, ".. die", err, sizeof(err)), -1);
	CHECK_INT(crisis_phrase_check(&rules, "Die", err, sizeof(err)), -1);
	CHECK_INT(crisis_phrase_check(&rules, "a .. .. b", err, sizeof(err)),
	    -1);
	CHECK_INT(crisis_phrase_check(&rules, "", err, sizeof(err)), -1);
	/* names */
	{
		enum crisis_level l;
		enum crisis_kind k;

		CHECK_INT(crisis_level_parse("acute", &l), 0);
		CHECK_INT(l, A);
		CHECK_INT(crisis_kind_parse("self_harm", &k), 0);
		CHECK_INT(k, SH);
		CHECK_INT(crisis_kind_parse("nope", &k), -1);
		CHECK_STR(crisis_kind_str(CRISIS_ABUSE_OF_OTHERS),
		    "abuse_of_others");
		CHECK_STR(crisis_level_str(CRISIS_MENTION), "mention");
	}
}

int
main(void)
{
	struct crisis *c = load();

	CHECK(c != NULL);
	if (c != NULL) {
		check_cases(c);
		check_context(c);
		check_matched(c);
		check_robust(c);
	}
	check_validation();
	crisis_free(c);
	return CHECK_DONE();
}
