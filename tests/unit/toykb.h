/*
 * toykb.h -- a tiny synthetic knowledge base shared by the matcher's unit
 * tests: three intents (feeding a cat, a flat tyre, the tax deadline) and
 * one concept ("cat" = kitty, kitten, feline).  Static data: each test
 * binary includes it once.
 */
#ifndef TOYKB_H
#define TOYKB_H

#include "intents.h"

static char *ex_cat[] = { "how do i feed my cat", "what do cats eat",
	"cat food advice", "best food for a kitten", "my cat will not eat" };
static char *ex_car[] = { "how do i change a flat tyre",
	"my car has a flat tire", "replace a punctured tyre",
	"changing the wheel on my car", "spare wheel help" };
static char *ex_tax[] = { "when is the tax return due",
	"deadline for filing taxes", "how late can i file my tax return",
	"tax filing date", "when do i have to pay my taxes" };
static char *var_cat[] = { "kitty", "kitten", "feline" };
static struct kb_concept concepts[] = { { "cat", var_cat, 3 } };
static struct kb_intent intents[] = {
	{ "pets.feed_cat", "What should I feed my cat?", ex_cat, 5, "a",
	    NULL, 0, NULL, 0 },
	{ "car.flat_tyre", "How do I change a flat tyre?", ex_car, 5, "b",
	    NULL, 0, NULL, 0 },
	{ "tax.deadline", "When is the tax deadline?", ex_tax, 5, "c",
	    NULL, 0, NULL, 0 },
};

#endif /* TOYKB_H */
