"""Sample clinic articles for the demo data, written for MedReview."""

ARTICLES = [
    {
        "slug": "pico-laser-open-pores",
        "state": "published",
        "title": "5 tips to minimise large and open pores with Pico Laser",
        "summary": "What pico-second lasers can and cannot do for enlarged pores, and how to look after your skin between sessions.",
        "body": """Enlarged pores are one of the most common reasons patients visit an aesthetic clinic. Pores do not open and close like doors; they look larger when the skin around them loses firmness or when they fill with oil and debris.

## How Pico Laser works on pores

A picosecond laser delivers energy in pulses lasting trillionths of a second. In fractionated mode it creates tiny zones of controlled injury in the dermis, which may **stimulate collagen production** over the following weeks.[^1]

## Five tips

1. **Plan a course, not a single session.** Most protocols use three to five sessions four weeks apart.
2. **Use SPF 50 every day.** Ultraviolet light breaks down collagen and can undo the benefit of treatment.
3. **Keep a simple routine.** A gentle cleanser and a non-comedogenic moisturiser are enough for most skin types.
4. **Pause retinoids before treatment.** Stop them about five days before each session unless your doctor advises otherwise.
5. **Treat acne first.** Active inflammation should be controlled before laser resurfacing.

## What to expect

Mild redness usually settles within a day. Some patients notice small, temporary dark spots, especially on darker skin types. Results vary between individuals, and your doctor will discuss whether the treatment suits you.

[^1]: Wu DC, et al. Picosecond lasers in aesthetic dermatology. *Dermatol Surg.* 2020;46(6):766-772.
""",
    },
    {
        "slug": "understanding-melasma",
        "state": "in_review",
        "title": "Understanding melasma: why it returns and how to manage it",
        "summary": "Melasma is a long-term pigment condition. Here is how sun protection, creams and procedures fit together.",
        "body": """Melasma appears as symmetrical brown patches on the cheeks, forehead and upper lip. It is more common in women and in people with medium to darker skin tones.

## Triggers

- Sunlight and visible light
- Hormonal changes, including pregnancy and oral contraceptives
- Heat and some skincare products that irritate the skin

## Managing melasma

There is no permanent cure for melasma, but it can be controlled. A broad-spectrum sunscreen with iron oxides helps block visible light. Topical treatments such as azelaic acid or a short course of hydroquinone prescribed by a doctor may lighten patches.

Laser and energy-based treatments are sometimes used, but they can make melasma worse if the settings are too aggressive. Your doctor will weigh the risks and benefits with you.
""",
    },
    {
        "slug": "acne-scars-options",
        "state": "changes_requested",
        "title": "Acne scars: comparing your treatment options",
        "summary": "Rolling, boxcar and ice-pick scars respond to different treatments. A guide to what each option involves.",
        "body": """Acne scars form when inflammation damages the collagen under the skin. Not all scars are the same, and the type of scar guides the choice of treatment.

## Types of scars

| Type | Appearance |
| --- | --- |
| Rolling | Wave-like depressions with soft edges |
| Boxcar | Broad depressions with sharp edges |
| Ice-pick | Narrow, deep pits |

## Treatments

Our fractional laser gives 100% clearance of acne scars with no downtime.

Subcision releases the fibrous bands that pull rolling scars down. Chemical peels can improve texture in mild scarring.
""",
        # The writer kept the blocked claim with a reason; the reviewer sent it back anyway.
        "justification": "The laser supplier's brochure states 100% clearance; please check whether we may quote it.",
    },
    {
        "slug": "hydration-before-procedures",
        "state": "approved",
        "title": "Preparing your skin before an aesthetic procedure",
        "summary": "Simple steps in the two weeks before a laser or peel that lower the risk of irritation.",
        "body": """Good preparation makes many skin procedures more comfortable and lowers the risk of side effects.

## Two weeks before

- Avoid sunburn and tanning, including tanning beds.
- Tell your doctor about any cold sores in the past; you may need preventive medicine.

## The week before

- Stop exfoliating scrubs and retinoids unless your doctor says otherwise.
- Keep your skin moisturised.

## On the day

Arrive with clean skin and no make-up. Tell the team about any new medicines, including supplements.
""",
    },
    {
        "slug": "sunscreen-myths",
        "state": "scheduled",
        "title": "Four sunscreen myths, and what the evidence says",
        "summary": "Do you need sunscreen indoors, on cloudy days, or if you have darker skin? The short answers.",
        "body": """Sunscreen is the single most useful product for healthy skin, yet it is surrounded by myths.

## Myth 1: You do not need it on cloudy days

Much ultraviolet radiation passes through cloud cover.

## Myth 2: Darker skin does not burn

Darker skin has more natural protection but can still burn, and pigmentation problems are common.

## Myth 3: A high SPF lasts all day

Reapply every two hours outdoors, and after swimming or sweating.

## Myth 4: Make-up with SPF is enough

Most people apply far less make-up than the amount used to test SPF.
""",
    },
    {
        "slug": "eczema-in-adults",
        "state": "draft",
        "title": "Eczema in adults: more than dry skin",
        "summary": "Why adult eczema flares and how a daily routine can calm it.",
        "body": """Atopic eczema often starts in childhood but can continue or begin in adulthood.

## Common triggers

- Harsh soaps and hot showers
- Stress and poor sleep
- Sweat and rough fabrics

## A daily routine

Use a fragrance-free emollient at least twice a day. Short, lukewarm showers help the skin keep its moisture.
""",
    },
    {
        "slug": "chemical-peels-2019",
        "state": "archived",
        "title": "Chemical peels explained",
        "summary": "An older overview of superficial and medium-depth peels.",
        "body": """Chemical peels use acids to remove the outer layers of the skin in a controlled way.

Superficial peels such as glycolic acid need little recovery. Medium-depth peels need about a week to heal.
""",
    },
]
