"""Generate the synthetic sample survey ``gloucestershire_survey.csv``.

The output imitates a Microsoft Forms export (re-saved as UTF-8 CSV with a BOM)
of a public engagement survey about health and care in Gloucestershire. Every
free-text answer is drawn from hand-written pools of responses grouped by
topic; no real person's data is used. The script is deterministic: the same
seed always produces byte-identical output.

Usage::

    python data/sample/make_sample.py [--seed 2026] [--n 680] [--out PATH]

Only the Python standard library is used.
"""

# The response pools are long natural-language strings; do not wrap them.
# ruff: noqa: E501

from __future__ import annotations

import argparse
import csv
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

# ---------------------------------------------------------------------------
# Column headers
# ---------------------------------------------------------------------------

Q1 = "What are the top three things we could do to improve health and wellbeing in Gloucestershire?"
Q2 = (
    "Tell us about your experience of accessing health and care services "
    "(GP, hospital, community or social care)."
)
Q3 = (
    "How do you feel about using digital services such as online GP appointments, "
    "the NHS App or video consultations?"
)
Q_HEALTH = "How would you rate your overall health?"
Q_SERVICES = "Which services have you used in the last 12 months?"
Q_DISABILITY = "Do you consider yourself to have a disability or long-term condition?"
Q_CARER = "Are you an unpaid carer?"

HEADER: list[str] = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    Q1,
    Q2,
    Q3,
    Q_HEALTH,
    Q_SERVICES,
    "District",
    "Age band",
    "Gender",
    Q_DISABILITY,
    Q_CARER,
]

DEFAULT_SEED = 2026
DEFAULT_N = 680
DEFAULT_OUT = Path(__file__).resolve().parent / "gloucestershire_survey.csv"

PNTS = "Prefer not to say"

# ---------------------------------------------------------------------------
# Closed questions and demographics
# ---------------------------------------------------------------------------

DISTRICTS: list[tuple[str, float]] = [
    ("Gloucester", 0.21),
    ("Cheltenham", 0.20),
    ("Stroud", 0.19),
    ("Tewkesbury", 0.13),
    ("Forest of Dean", 0.13),
    ("Cotswold", 0.12),
    (PNTS, 0.02),
]
AGE_BANDS: list[tuple[str, float]] = [
    ("16-24", 0.05),
    ("25-34", 0.10),
    ("35-44", 0.14),
    ("45-54", 0.17),
    ("55-64", 0.21),
    ("65-74", 0.19),
    ("75+", 0.10),
    (PNTS, 0.04),
]
GENDERS: list[tuple[str, float]] = [
    ("Woman", 0.615),
    ("Man", 0.325),
    ("Non-binary", 0.012),
    ("Prefer to self-describe", 0.006),
    (PNTS, 0.042),
]
DISABILITY_YES_BY_AGE: dict[str, float] = {
    "16-24": 0.15,
    "25-34": 0.18,
    "35-44": 0.22,
    "45-54": 0.28,
    "55-64": 0.36,
    "65-74": 0.42,
    "75+": 0.58,
    PNTS: 0.30,
}
CARER_YES_BY_AGE: dict[str, float] = {
    "16-24": 0.08,
    "25-34": 0.10,
    "35-44": 0.15,
    "45-54": 0.22,
    "55-64": 0.26,
    "65-74": 0.20,
    "75+": 0.14,
    PNTS: 0.15,
}
HEALTH_OPTIONS: list[str] = ["Very good", "Good", "Fair", "Bad", "Very bad", PNTS]
SERVICE_OPTIONS: list[tuple[str, float]] = [
    ("GP practice", 0.76),
    ("Pharmacy", 0.66),
    ("NHS 111", 0.24),
    ("Emergency department (A&E)", 0.19),
    ("Minor injury unit", 0.12),
    ("Hospital outpatients", 0.36),
    ("Mental health services", 0.09),
    ("Social care", 0.06),
    ("Community nursing", 0.08),
    ("Dentist", 0.47),
]
# Q2 topic -> service that a respondent writing about it has very likely used.
Q2_TOPIC_SERVICE: dict[str, str] = {
    "ae_waits": "Emergency department (A&E)",
    "ambulance": "Emergency department (A&E)",
    "gp_phone": "GP practice",
    "reception": "GP practice",
    "continuity": "GP practice",
    "referral_waits": "Hospital outpatients",
    "social_care": "Social care",
    "community_nursing": "Community nursing",
    "mental_health": "Mental health services",
    "miu": "Minor injury unit",
    "pharmacy": "Pharmacy",
    "nhs111": "NHS 111",
    "dentist": "Dentist",
}

# ---------------------------------------------------------------------------
# Non-answers
# ---------------------------------------------------------------------------

# (text, weight). The empty string is a skipped question.
NON_ANSWERS: list[tuple[str, float]] = [
    ("", 30.0),
    ("n/a", 8.0),
    ("N/A", 8.0),
    ("N/a", 2.0),
    ("none", 4.0),
    ("None", 4.0),
    ("NA", 3.5),
    ("Nothing", 4.0),
    ("nothing", 2.0),
    ("nothing to add", 3.0),
    ("Nothing to add.", 1.0),
    ("No comment", 3.0),
    ("-", 3.0),
    (".", 2.0),
    ("not sure", 3.0),
    ("Not sure", 2.0),
    ("don't know", 2.0),
    ("Don't know", 2.0),
    ("no", 2.0),
    ("No", 1.0),
    ("x", 1.0),
]

# ---------------------------------------------------------------------------
# Free-text pools.
#
# Each item is either plain text or (text, tags). Tags restrict an item to
# plausible respondents (for example an answer that says "I am 81" only goes to
# someone in the 75+ band); see TAG_RULES.
# ---------------------------------------------------------------------------

Item = str | tuple[str, str]

Q1_POOL: dict[str, list[Item]] = {
    "gp_access": [
        "Make it easier to get a GP appointment. At the moment you have to ring at 8am and hope for the best.",
        "More GP appointments, especially face to face ones.",
        "Being able to see a doctor within a week would make a massive difference. I gave up trying last winter.",
        "Sort out GP access. People end up at A&E because they can't see their own doctor.",
        "GPs need more capacity – our surgery has had thousands of new houses built around it and no extra doctors.",
        "Easier access to GP",
        "Get rid of the 8am scramble for appointments and let people book ahead.",
        "More doctors in surgeries",
        "Better access to primary care in the evenings and at weekends for people who work.",
        "I would like to be able to see a GP without having to explain my symptoms to a receptionist first.",
        "The new estates around Gloucester and Tewkesbury need their own GP surgery, the existing ones are bursting at the seams.",
        "Allow people to actually see a doctor rather than being passed to a pharmacist or a physio every time.",
        "appointments at the doctors",
        "Put more money into general practice. Everything else falls apart when GPs are overloaded.",
        "Same day appointments for children who are unwell. Parents shouldn't have to fight for it.",
        (
            "Improve access to GPs in the Forest, our surgery has lost two doctors and not replaced them.",
            "fod",
        ),
        (
            "Longer appointments so you can talk about more than one problem. Ten minutes for one issue is ridiculous when you're elderly with several conditions.",
            "older",
        ),
        "Having a named GP you can actually see would help so much with long term conditions.",
        "Stop making people wait three weeks for a routine GP appointment.",
        "More GP surgeries and better phone systems so you aren't 30th in the queue.",
        "GP appointments!!",
        "Open surgeries on Saturdays.",
        "Make sure people can see a GP when they need to. That's the front door to the NHS and it has been shut for years.",
        "Being able to book a GP appointment online without it being full by five past eight.",
        "A GP who has time to listen. Everyone seems so rushed.",
        "Proper access to a GP for people with long term conditions. We need regular reviews, not a fight every time.",
        "Face to face appointments with a doctor should be the norm again, not the exception.",
        "Honestly just being able to get through to the surgery on the phone.",
        "GPs",
        "Improve GP services",
    ],
    "waiting_lists": [
        (
            "Reduce waiting lists for operations. My husband has been waiting nearly two years for a knee replacement and is in constant pain.",
            "older",
        ),
        "Shorter waiting times for hospital appointments",
        "Cut the waiting lists for hip and knee operations, people are losing their jobs and their independence while they wait.",
        "Bring down waits for routine surgery. Use the private hospitals more if that's what it takes.",
        "Waiting times for specialists are far too long. I was referred to dermatology in March and still haven't been seen.",
        "Faster diagnosis for cancer. Nobody should wait months for scan results.",
        "Tackle the backlog at Gloucestershire Royal and Cheltenham General.",
        "Quicker referrals",
        "Keep people informed while they are on the waiting list, even just a letter every few months to say you haven't been forgotten.",
        "Shorter waits for tests like MRI scans and endoscopies.",
        "Waiting lists for everything are a joke. Something has to give.",
        "Support people while they wait for surgery - physio, pain management, anything.",
        "Use Cheltenham General for planned operations so they don't get cancelled every time A&E at Gloucester is full.",
        "Reduce the time it takes to get an ADHD or autism assessment, it's years for children and adults.",
        ("Cataract operations done quicker, my mum can hardly see to read.", "adultchild"),
        "Waiting lists",
        "Get people seen by a consultant within the 18 weeks you're supposed to. It's meaningless now.",
        "Shorter waits for orthopaedics. Being in pain for years affects everything, your sleep, your mood, your work.",
    ],
    "mental_health": [
        "More mental health support for young people. CAMHS waiting lists are far too long and kids are getting worse while they wait.",
        "Mental health services for adults that you can access without being in crisis.",
        "Better mental health support in schools",
        "Counselling that isn't a 6 month wait.",
        "Mental health, mental health, mental health.",
        "Somewhere to go in a mental health crisis that isn't A&E.",
        "Talking therapies need to be available quicker and for longer than six sessions.",
        (
            "Early help for teenagers with anxiety. My daughter was self harming and we were told she wasn't 'bad enough' for support.",
            "parent",
        ),
        "More support for postnatal depression and perinatal mental health.",
        "Invest in mental health services, especially for men who won't ask for help.",
        "Stop treating mental health as less important than physical health.",
        "Mental health support for students and young adults who fall through the gap between children's and adult services.",
        "Drop-in mental health cafés in each town where people can just turn up and talk.",
        "Support for people with eating disorders. There's next to nothing in the county for adults.",
        "Better access to mental health care",
        "More school counsellors, and mental health first aiders in workplaces.",
        "Help for people struggling after a bereavement, there is a long wait for bereavement counselling.",
        ("Mental health support for older people too, not just the young.", "older"),
        "Make it easier to refer yourself for therapy, a lot of people don't know you can.",
        "Proper follow up after someone has been discharged from a mental health ward. My brother was left with nothing.",
        "young peoples mental health",
        "Mental health crisis support for young people at night and at weekends, not just 9 to 5.",
        (
            "I'm 19 and have been on a waiting list for therapy for almost a year. Young people need help sooner.",
            "16-24",
        ),
        "Suicide prevention. We've lost too many young men in our area.",
        "Mental health",
        "Support for anxiety and depression that doesn't just mean being put on tablets.",
    ],
    "carers": [
        "More support for unpaid carers. We save the system a fortune and get nothing back.",
        ("Respite care for carers. I haven't had a proper break in three years.", "carer"),
        "Recognise carers properly – ask us at the GP if we're coping, and actually mean it.",
        "Carer's Allowance is a pittance. Carers need financial help as well as a pat on the back.",
        "Support for young carers who are looking after a parent and trying to do their GCSEs.",
        "Make it easier to get a carer's assessment and then actually act on it.",
        "Day centres for people with dementia so their carers can have a few hours to themselves.",
        "Carers support groups in the evenings so working carers can get to them.",
        "Listen to family carers. We know the person better than anyone and we are often ignored by professionals.",
        "More help for parents caring for disabled children, especially in the school holidays.",
        "Flexible respite that can be booked at short notice when you are at breaking point.",
        "Support for carers",
        (
            "As a carer for my wife who has Parkinson's, I need someone to talk to who understands the system. It is a maze.",
            "carer,man",
        ),
        "Make sure carers get their flu jab and health checks too, we neglect ourselves.",
        ("I care for my son who has complex needs. Nobody asks how I am.", "carer,parent"),
        "Carers need breaks, money and information in one place.",
    ],
    "loneliness": [
        "Tackle loneliness among older people. My neighbour sometimes doesn't speak to anyone for days.",
        "More lunch clubs and social groups for older people, particularly in villages.",
        "Befriending services for people living on their own.",
        "Loneliness is a massive issue for elderly people since the pandemic and it affects their health.",
        "Bring back day centres. Lots of older people have nowhere to go now.",
        "Community events that get people out of the house and talking to each other.",
        "Social isolation, especially for widowed men who don't know where to go.",
        "Regular check-in phone calls for people over 80 who live alone.",
        "Help lonely people",
        "Intergenerational projects, like schools visiting care homes. Good for everyone.",
        "More things for older people to do that don't cost much.",
        (
            "Support for people who are isolated because they can't drive any more. I gave up my licence last year and feel cut off.",
            "old",
        ),
        "Transport and activities for older people who are stuck at home, loneliness is a killer.",
        "Loneliness",
    ],
    "active": [
        "Keep leisure centres open and affordable.",
        "More cycle paths, especially safe routes between Cheltenham and Gloucester.",
        "Cheaper gym memberships and swimming for families.",
        "Look after our parks and green spaces, they're so important for mental and physical health.",
        "Safer walking and cycling routes to schools so kids can be more active.",
        "Free exercise classes for older people to keep them mobile and prevent falls.",
        "Encourage people to get outside more. We have the Forest and the Cotswolds on our doorstep.",
        "More outdoor gyms in parks",
        "Invest in active travel - pavements that are actually usable and proper segregated cycle lanes.",
        "Swimming lessons for every child. Our local pool closed and the nearest one is 20 minutes' drive away.",
        "Walking groups and parkrun type things for people who aren't sporty.",
        "Exercise on prescription",
        "Affordable sports clubs for teenagers to keep them off their phones and off the streets.",
        "Better lighting in parks so women feel safe walking or running in the evening.",
        "Sport and exercise",
        "Fix the potholes so cycling isn't so dangerous!",
        "Make leisure centres accessible for disabled people, hoists at the pool, Changing Places toilets.",
        "Keep the lido open!",
        "Community sports facilities on the new housing estates, there is nothing there but houses.",
        "Make it safer to cycle. I'd cycle to work every day if I didn't think I'd get knocked off.",
        "Get people moving",
    ],
    "food": [
        "Tackle obesity, especially in children.",
        "Healthy food is too expensive. Fruit and veg should be cheaper than crisps.",
        "Cooking classes for families on a budget.",
        "Fewer fast food takeaways near schools.",
        "Free school meals for all primary children, and make them healthy.",
        "Support for people who want to lose weight, not just being told to lose weight by the doctor.",
        "Food banks are doing an amazing job but they shouldn't be needed in 2026.",
        "Healthy eating education",
        "Weight management services that don't have a two year waiting list.",
        "Community fridges and growing schemes so people can get fresh food.",
        "Teach kids to cook at school again",
        "Sugar in kids' drinks is a huge problem.",
        "Help with the cost of food. A lot of people I know are skipping meals to pay the bills.",
        "Stop supermarkets putting sweets at the tills.",
        "Obesity",
        "Allotments! Long waiting lists for those too, and they're good for body and mind.",
    ],
    "cost_housing": [
        "Address the cost of living crisis. Poverty is the biggest cause of poor health.",
        (
            "Warm, dry homes. Too many rented houses in Gloucester are damp and full of mould.",
            "glos",
        ),
        "More affordable housing so young people and key workers can live here.",
        "Help with energy bills for people with health conditions who need to keep warm.",
        (
            "Make landlords fix damp and mould. My son's asthma is terrible because of our flat.",
            "parent",
        ),
        "Social housing. The waiting list is years.",
        "Deal with the root causes - low wages, bad housing, debt.",
        "Cost of living",
        "Support for people who are homeless and sleeping rough in Gloucester and Cheltenham.",
        "Better insulation for older homes, especially in rural areas where people are on oil heating.",
        "Money advice alongside health services, because worrying about money makes people ill.",
        "Fair wages. People working two jobs don't have time to look after their health.",
        "Housing for older people that is suitable, so they can downsize and stay independent.",
        "The benefits system makes people ill. Sort out the stress of applying for PIP.",
        "Poverty",
    ],
    "transport_rural": [
        (
            "Better public transport to hospitals. From the Forest of Dean it takes two buses and most of a day to get to Gloucestershire Royal.",
            "fod",
        ),
        (
            "Bus services in rural areas. Our village bus goes twice a day and not at all on Sundays.",
            "rural",
        ),
        (
            "Services closer to home for people in the Cotswolds – we're a long way from everything.",
            "cots",
        ),
        "Transport to appointments for people who don't drive.",
        (
            "The new hospital in Cinderford is great but more services should be available there so we don't have to travel to Gloucester.",
            "fod",
        ),
        "A direct bus between Cheltenham General and Gloucestershire Royal that runs all day.",
        "Community transport schemes need more funding and more volunteers.",
        "Rural areas are forgotten. Everything is centred on Gloucester and Cheltenham.",
        "Mobile clinics and outreach vans for villages, blood tests, vaccinations, health checks.",
        (
            "Hospital appointment times that fit with the buses. It's impossible to get there for 8.30 from Lydney without a car.",
            "fod",
        ),
        "Better buses",
        "More services in Stroud and Tewkesbury so people don't have to go to the big hospitals for everything.",
        (
            "Help with the cost of travel to hospital. Taxis from Moreton-in-Marsh are £40 each way.",
            "cots",
        ),
        (
            "Living in a village in the Cotswolds you need a car for everything. Not everyone has one, especially older people.",
            "cots",
        ),
        "Rural transport",
        (
            "Outpatient clinics in the Forest so people don't have to trek to Gloucester or Cheltenham for a ten minute appointment.",
            "fod",
        ),
    ],
    "dentists": [
        "NHS dentists!! Impossible to find one taking on patients.",
        "Get more NHS dentists in Gloucestershire. I've been on a waiting list for over two years.",
        (
            "Access to an NHS dentist for children, my kids haven't had a check up since before Covid.",
            "parent",
        ),
        "Dentistry is a disaster. People are pulling their own teeth out.",
        "Dentists",
        "Affordable dental care. I can't afford private and there are no NHS places.",
        "Emergency dental appointments that don't involve ringing round 20 practices.",
        "Sort out NHS dental contracts so dentists actually want to do NHS work.",
        ("More dentists in the Forest of Dean.", "fod"),
        "Get a dentist to see older people in care homes, their teeth are being neglected.",
        "nhs dentist please",
        "Dental care for adults is basically private only now. That's not acceptable.",
        "NHS dentistry",
    ],
    "smoking_vaping": [
        ("Stop kids vaping. It's everywhere at my son's secondary school.", "parent"),
        "Ban disposable vapes and the shops that sell them to children.",
        "More help to stop smoking, the local stop smoking service was really good when I used it.",
        "Stop smoking support in pregnancy.",
        "Crack down on shops selling vapes to under 18s.",
        "Smoking cessation",
        "Make it easier to quit smoking - free patches and someone to talk to.",
        "Vaping among young people is going to be the next big health problem.",
        "Stop people smoking outside the hospital entrance, it's horrible walking through it.",
    ],
    "prevention": [
        "More health checks for the over 40s, blood pressure, cholesterol, that kind of thing.",
        "Prevention rather than cure.",
        "Blood pressure checks in pharmacies, supermarkets, workplaces, make it easy.",
        "Focus on prevention. Diabetes, heart disease and strokes could be reduced massively.",
        "Screening programmes that reach people who don't normally go to the doctor.",
        "Invest in public health, it saves money in the long run.",
        "Health MOTs at work",
        "Education on healthy lifestyles from a young age.",
        "Vaccinations easier to get hold of, flu and covid jabs at local pharmacies and village halls.",
        "Regular health checks for people with learning disabilities, they die far too young.",
        "Early intervention",
        "Make sure men get checked. My dad would never go to the doctor until it was too late.",
        "Prevention",
        "Pre-diabetes support before people actually become diabetic.",
    ],
    "staff": [
        "Pay nurses and carers properly so they stay.",
        "Staff shortages. Recruit and keep more nurses, doctors and care workers.",
        "Look after the staff. They are exhausted and leaving in droves.",
        "Care workers should be paid more than supermarket staff. It's a skilled job.",
        "Stop relying on agency staff, it costs a fortune.",
        "Better working conditions for NHS staff, including parking and somewhere decent to eat on a night shift.",
        "Train more GPs locally and give them a reason to stay in Gloucestershire.",
        "More staff",
        "Value domiciliary carers. They're driving all over the county in their own cars for minimum wage.",
        "Affordable housing for nurses, they can't afford to live near the hospitals.",
        "Fewer managers, more frontline staff.",
        "Recruit more health visitors and school nurses.",
        (
            "Stop burning out the staff we have. My daughter is a nurse at Gloucester and is thinking of leaving.",
            "adultchild",
        ),
        (
            "As a nurse myself I can tell you morale is at rock bottom. Pay, staffing and respect would make a huge difference.",
            "working",
        ),
    ],
    "joined_up": [
        "Joined up services. I have to tell my story again every time I see someone new.",
        "Share records between the hospital, the GP and social care so people aren't asked the same questions ten times.",
        "Better communication between departments",
        "Hospitals and GPs need to talk to each other. Test results get lost between them.",
        "One point of contact for people with complex needs instead of six different teams.",
        "Health and social care working together properly, not passing people back and forth.",
        "Make the IT systems compatible. Why can't the hospital see my GP records?",
        "Joined up care",
        "Link in with the council and housing so the whole person is looked at.",
        "Stop working in silos.",
        "When someone is discharged from hospital the GP should know about it the same day.",
    ],
    "community": [
        "Fund community and voluntary groups, they do so much on a shoestring.",
        "Social prescribing - link people to groups and activities, not just tablets.",
        "Support the charities that actually reach people, like the ones running community cafés and food projects.",
        "More community health hubs where you can get advice without an appointment.",
        "Use village halls and community centres for health drop-ins.",
        "Long term funding for the voluntary sector instead of one year grants.",
        "Our social prescriber at the surgery has been brilliant, every practice should have one.",
        "Community groups",
        "Make it easier to find out what's going on locally. I didn't know half of the groups existed until a friend told me.",
        "Invest in youth clubs. There is nothing for teenagers to do in our town.",
        "Volunteering is good for your health, promote it more.",
        "Men's sheds and similar groups are brilliant for getting men talking.",
        "A directory of local support that's actually kept up to date.",
    ],
    "drugs_alcohol": [
        "More help for people with drug and alcohol problems.",
        ("Tackle drug dealing in Gloucester city centre.", "glos"),
        "Alcohol services that you can get into quickly when someone finally wants help.",
        "Support for families of people with addiction.",
        "Drugs and alcohol",
        "Rehab places. There are hardly any and the waiting list is long.",
        "Deal with street drinking and drug use, people don't feel safe.",
        "Treat addiction as a health problem, not a crime.",
    ],
    "other": [
        "Air pollution around the main roads in Gloucester, think of the children walking to school.",
        "Cleaner air, fewer idling cars outside schools.",
        "More support for people experiencing domestic abuse, and more refuge places.",
        "Domestic abuse awareness for GPs and receptionists so victims are picked up earlier.",
        "Use pharmacies more - they are brilliant and could do more if they were funded.",
        "Let pharmacists prescribe more things so you don't need the GP for minor stuff.",
        "Stop closing local pharmacies.",
        "Better support for people with dementia and their families after diagnosis.",
        ("Maternity services, keep the birth units open and listen to women.", "woman"),
        ("Menopause support. Women are left to struggle on their own.", "woman"),
        "Better services for autistic adults.",
        "Sexual health clinics that are easy to get into.",
        "Better access to hearing aid services and audiology.",
        "Help for people with long covid, the clinic has closed and we've been forgotten.",
    ],
    "general": [
        "Listen to patients and act on what they say instead of doing more surveys.",
        "Stop wasting money on consultations like this and spend it on front line services.",
        "Honestly I don't know where you'd start. Everything needs fixing.",
        "Fewer reorganisations. Every few years the NHS changes its name and nothing improves.",
        "More funding for the NHS full stop.",
        "Treat people as people, not numbers.",
    ],
}

# Short phrases people put in Q1 lists ("1. GP appointments 2. dentists 3. parks").
Q1_FRAGMENTS: dict[str, list[str]] = {
    "gp_access": [
        "more GP appointments",
        "GP access",
        "being able to see a doctor",
        "face to face GP appointments",
        "easier to book the GP",
        "more doctors",
        "GP appointments",
    ],
    "waiting_lists": [
        "shorter waiting lists",
        "reduce hospital waiting times",
        "quicker operations",
        "faster referrals to specialists",
        "waiting lists",
    ],
    "mental_health": [
        "mental health support",
        "mental health for young people",
        "CAMHS",
        "counselling without a long wait",
        "better mental health services",
        "mental health",
    ],
    "carers": ["support for carers", "respite for carers", "help for unpaid carers"],
    "loneliness": [
        "tackle loneliness",
        "groups for older people",
        "befriending for people on their own",
    ],
    "active": [
        "leisure centres",
        "cycle paths",
        "more parks and green spaces",
        "cheaper gyms",
        "safe walking routes",
        "swimming pools",
        "exercise",
    ],
    "food": [
        "cheaper healthy food",
        "tackle obesity",
        "cooking classes",
        "less fast food",
        "healthy eating",
    ],
    "cost_housing": [
        "cost of living",
        "better housing",
        "sort out damp housing",
        "affordable homes",
        "help with bills",
    ],
    "transport_rural": [
        "better buses",
        "transport to hospital",
        "rural bus services",
        "services closer to home",
    ],
    "dentists": ["NHS dentists", "dentists", "more dentists", "access to a dentist", "dentistry"],
    "smoking_vaping": ["stop kids vaping", "ban disposable vapes", "stop smoking help"],
    "prevention": [
        "prevention",
        "blood pressure checks",
        "health checks",
        "health education",
        "screening",
    ],
    "staff": ["pay nurses more", "more staff", "keep the staff we have", "pay carers properly"],
    "joined_up": ["joined up care", "sharing records", "better communication between services"],
    "community": [
        "community groups",
        "social prescribing",
        "youth clubs",
        "fund the voluntary sector",
    ],
    "drugs_alcohol": ["drug and alcohol services", "tackle drugs"],
    "other": [
        "cleaner air",
        "domestic abuse support",
        "more pharmacies",
        "maternity care",
        "dementia support",
    ],
    "general": ["more funding", "listen to patients"],
}

Q1_WEIGHTS: dict[str, float] = {
    "gp_access": 16,
    "waiting_lists": 9,
    "mental_health": 12,
    "carers": 5,
    "loneliness": 6,
    "active": 8,
    "food": 6,
    "cost_housing": 7,
    "transport_rural": 5,
    "dentists": 7,
    "smoking_vaping": 3,
    "prevention": 4,
    "staff": 6,
    "joined_up": 4,
    "community": 5,
    "drugs_alcohol": 3,
    "other": 4,
    "general": 2,
}

Q2_POOL: dict[str, list[Item]] = {
    "kind_staff": [
        "Physio at Stroud hospital were brilliant after my knee op.",
        "The sexual health clinic was discreet, quick and non-judgemental.",
        "Our GP went above and beyond when my wife was diagnosed with cancer. Rang us at home to check on us.",
        "I was treated with dignity and respect throughout my stay in hospital.",
        "The dermatology nurse specialist was fab, sorted in one visit.",
        "My experience has been really good. I think people forget how lucky we are to have the NHS.",
        "The surgical team at Cheltenham were brilliant. Clear explanations and good aftercare.",
        "Diabetic eye screening is so well organised, in and out in 20 minutes.",
        ("The cardiac rehab classes were excellent and gave me my confidence back.", "older"),
        ("Really impressed with the breast screening service, friendly and quick.", "woman"),
        "Can't fault the GP once you're in the room. Very thorough.",
        (
            "The staff at Gloucestershire Royal were amazing when my dad was admitted. Busy but so kind.",
            "adultchild",
        ),
        "My GP surgery is excellent. Once you get an appointment the care is brilliant.",
        (
            "I had a hip replacement at Cheltenham General last year and couldn't fault it. Everyone was professional and caring.",
            "older",
        ),
        "The nurses on the ward were lovely, nothing was too much trouble.",
        (
            "Maternity staff were fantastic when I had my second baby, a real improvement on my first.",
            "woman,youngparent",
        ),
        "I've had cancer treatment at the Oncology Centre in Cheltenham and the staff there are angels.",
        "Generally good. Can't complain.",
        "My experience has been positive overall. NHS staff work so hard under a lot of pressure.",
        "Our practice nurse is wonderful and always makes time to explain things.",
        (
            "When my son broke his arm the children's A&E was quick and the staff were great with him.",
            "parent",
        ),
        "Very good experience with the diabetes team.",
        (
            "Excellent care from the stroke unit. They saved my husband's life and the rehab afterwards was really good.",
            "older",
        ),
        "Good",
        (
            "Hospice care for my mum at the end of her life was exceptional. I will never forget how kind they were.",
            "adultchild",
        ),
        "The physio I was referred to was great, I'm walking properly again.",
        "Mostly positive. The people are brilliant, it's the system that lets them down.",
        "Had a scan at the new imaging unit and it was quick and efficient. Results came through in a week.",
        "Cardiology at Gloucester were brilliant, really thorough and explained everything.",
        "No problems at all. Seen quickly every time I've needed to.",
        ("The Macmillan nurses were wonderful with my mum.", "adultchild"),
        "I've had nothing but good care from my surgery over the years.",
        (
            "The children's ward at Gloucester looked after my daughter brilliantly when she had sepsis.",
            "parent",
        ),
        "The staff in the eye clinic were efficient and friendly.",
        "Good overall",
        "Excellent. Every contact I've had has been positive.",
    ],
    "ae_waits": [
        ("Took my mum to A&E after a fall, 12 hours on a plastic chair. She's 84.", "adultchild"),
        "A&E staff were run off their feet. I felt guilty even being there.",
        "My partner was in so much pain and we waited 7 hours for pain relief in A&E.",
        (
            "The children's emergency department was much better than the adult one, we were seen in about 2 hours.",
            "parent",
        ),
        (
            "Waited so long in A&E that I missed the last bus and had to get a taxi back to Coleford at 2am.",
            "fod",
        ),
        "Went to A&E with chest pains, seen quickly for an ECG and then waited 8 hours for a doctor.",
        (
            "Waited 14 hours in A&E at Gloucestershire Royal with my elderly mother on a trolley. Staff were doing their best but it was awful.",
            "adultchild",
        ),
        "A&E is dreadful. We waited 9 hours to be seen and there wasn't even a seat.",
        (
            "I went to Cheltenham A&E in the evening and was told to go to Gloucester because it shuts overnight. I was in agony.",
            "chelt",
        ),
        "Ambulances queuing outside Gloucestershire Royal every time I drive past. Something is badly wrong.",
        "Spent the night in a corridor in A&E. Not the staff's fault, but there was no dignity at all.",
        "Long waits in A&E",
        (
            "My daughter has a long term condition and we dread having to go to A&E because of the waits.",
            "parent",
        ),
        (
            "Took my son to A&E with a head injury and waited 6 hours before anyone looked at him.",
            "parent",
        ),
        "The A&E waiting room was full of people who should have been able to see a GP.",
        "Emergency department at GRH was overwhelmed. Eventually seen after 11 hours and then admitted, but waited another day for a bed.",
        (
            "Cheltenham A&E closing at night means a much longer trip for us and more pressure on Gloucester.",
            "chelt",
        ),
        "The wait in A&E was horrendous but once I was on the ward the care was good.",
        (
            "My 89 year old father waited 19 hours in A&E after a fall. He was dehydrated and confused by the time he got a bed.",
            "adultchild",
        ),
        "Sat in A&E from 4pm till 3am. No updates, no water offered, nothing.",
        "We were triaged quickly but then it was hours and hours.",
        (
            "A&E at Gloucester is unsafe at times. I say that as someone who used to work there.",
            "notold",
        ),
        "Gave up and went home from A&E after 8 hours without being seen.",
        "A&E – chaos.",
    ],
    "gp_phone": [
        "You have to be persistent. I know older people who have just given up trying to see a doctor.",
        "My surgery has a new phone system with a call back option, it's a big improvement.",
        "The GP only offers appointments three weeks away unless it's an emergency. What about everything in between?",
        "I rang on Monday and was told to ring again on Tuesday. Then Wednesday. By Thursday I gave up and went to the walk-in centre.",
        "It took me 73 calls to get through one morning. I counted.",
        "Every time I ring I'm told there are no appointments left and to try again tomorrow.",
        ("Shift workers like me can never ring at 8am.", "working"),
        "Our GP surgery is hopeless. I've moved to a different practice and it's slightly better.",
        "Ringing the GP at 8am is a nightmare. I'm usually 20th in the queue and by the time I get through all the appointments have gone.",
        "Can't get through on the phone to my surgery. I've given up.",
        "You ring at 8, wait 40 minutes, then get told to ring back tomorrow. Every day.",
        "Getting a GP appointment is nearly impossible. I had to ring every day for a week.",
        "The phone queue system at our surgery is awful, I have called 50+ times in one morning before now.",
        ("GP access is terrible. I work and can't spend an hour on hold at 8am.", "working"),
        "I've been trying to get a routine appointment for three weeks. The next available is in a month.",
        "The call back system at my practice actually works quite well, they ring you back within the hour.",
        "Impossible to see a GP face to face. Everything is a phone call first.",
        "If you're not quick at 8am you've had it.",
        "My surgery stops answering the phone at 11am. After that you just get a message telling you to call 111.",
        "It can take days to get through to the GP and then you only get a phone call.",
        "I had to go to the surgery in person and queue outside at 7.45am to get an appointment. Like something from the 1980s.",
        "GP appointments are like gold dust.",
        (
            "Trying to get a GP appointment for my toddler was stressful, we ended up at the minor injury unit instead.",
            "youngparent",
        ),
        "Had to wait 3 weeks to see a GP about a lump. Luckily it was nothing but the worry was awful.",
        "Awful. The GP is impossible.",
        "To be fair our GP practice is good once you get through, but the getting through is the problem.",
        "The 8am rush is unfair on people who work shifts or are caring for someone.",
        (
            "My elderly mum can't cope with the phone options and ends up not getting seen at all.",
            "adultchild",
        ),
        (
            "I've been a patient at the same practice for 30 years and it's never been this hard to get an appointment.",
            "older",
        ),
        "Managed to get a same day appointment last month which was a pleasant surprise.",
        "GP - terrible. Hospital - fine.",
        "Getting to see a doctor is a battle every single time.",
        "Phoned at 8.00 exactly, number 27 in the queue. By the time I got through there was nothing left.",
    ],
    "reception": [
        "I was asked by the receptionist what was wrong in front of a full waiting room.",
        "The care navigator pointed me to a pharmacist and it was exactly what I needed.",
        "The receptionist was unhelpful and made me feel like I was wasting their time.",
        "The receptionists ask for details of your problem, which I find intrusive. I don't want to tell them about personal things.",
        "Receptionists are gatekeepers. They decided I didn't need to see a doctor, and I ended up in hospital two days later.",
        "Reception staff are under pressure but some of them are quite rude.",
        "I understand care navigation but I was sent to the pharmacist twice for something that needed antibiotics.",
        "The receptionists at our surgery are lovely and do their best with an impossible job.",
        "Being triaged over the phone by a receptionist is not right. They're not medically trained.",
        "I get passed around between the physio, the pharmacist and the nurse and never actually see a GP.",
        "Reception told me to go to A&E, A&E told me to go to my GP. Round in circles.",
        "The triage system seems to work ok, I saw the right person.",
    ],
    "referral_waits": [
        "My consultant appointment was cancelled the day before because of strikes, and rebooked for four months later.",
        "I've been waiting for a colonoscopy for months. I'm scared of what it might be.",
        ("Urology wait is over a year. I am up several times a night.", "man,older"),
        "I was on the waiting list for so long I had to chase to find out if I was still on it.",
        ("My daughter is on an 18 month waiting list for an ADHD assessment.", "parent"),
        "Our family has spent thousands going private because the NHS waits are impossible.",
        "I've been on the waiting list for orthopaedics for 18 months. No updates at all.",
        "Waited over a year for an outpatient appointment with neurology.",
        "My GP referred me urgently and it still took 9 weeks to hear anything.",
        (
            "Waiting for a gynaecology appointment for 14 months while in pain every month.",
            "woman,notold",
        ),
        "The wait for ENT was ridiculous, I ended up paying to go private.",
        "Long waits for hospital appointments, then it gets cancelled the day before.",
        "My operation has been cancelled twice because there were no beds.",
        (
            "Waiting times for children's services are shocking. We waited two years for an autism assessment.",
            "parent",
        ),
        "Referral took months, then the appointment was 10 minutes and I was discharged.",
        "Paid for private physio because the NHS wait was 6 months.",
        ("Still waiting for my cataract surgery, I can't drive in the meantime.", "older"),
        "Once I got into the system it was fine, but the wait to get in was very long.",
        "Outpatient appointments keep being moved. I've had four letters changing the date.",
        "Waiting list for the pain clinic is over a year",
        "Had to wait ages for scan results and chase them myself.",
        "Referred for physio in January, first appointment in August. By then it had mostly got better on its own.",
        "The waiting lists are too long",
    ],
    "social_care": [
        "The council's financial assessment took five months and in the meantime we were paying for everything.",
        ("My mum's care package was cut without anyone talking to us first.", "adultchild"),
        ("The care home mum is in is wonderful but the cost is eye-watering.", "adultchild"),
        (
            "Getting equipment like a hospital bed and a hoist took weeks, with dad sleeping in a chair.",
            "adultchild",
        ),
        "Social workers change so often you never get to know anyone.",
        "Once we had the care package in place it was fine, but it took a crisis to get it.",
        (
            "Trying to arrange social care for my mum has been exhausting. Nobody seems to know who is responsible for what.",
            "adultchild",
        ),
        (
            "My father was stuck in hospital for six weeks after he was well enough to leave because there was no care package available.",
            "adultchild",
        ),
        (
            "Care home fees are crippling. My parents worked all their lives and the house will have to be sold.",
            "adultchild",
        ),
        (
            "The carers who come to my mum four times a day are wonderful but they're so rushed, 15 minute visits aren't enough.",
            "adultchild",
        ),
        "Social care is in crisis. We waited months for an assessment.",
        (
            "Finding a care home with a space near us was almost impossible. Dad ended up in a home an hour's drive away.",
            "adultchild",
        ),
        (
            "Delayed discharge – dad was medically fit but couldn't come home because the adaptations weren't done.",
            "adultchild",
        ),
        "Adult social care were helpful once we got an allocated worker, but getting one took far too long.",
        (
            "The reablement team were excellent after my mum's fall. She's back to being independent.",
            "adultchild",
        ),
        (
            "My wife has dementia and I am her carer. The support we've had from social services has been very patchy.",
            "carer,older,man",
        ),
        "The care agency kept sending different people, which really confused my mother.",
        "We were given a list of care homes and left to get on with it. No help at all.",
        (
            "Discharge from hospital was rushed, my dad came home at 10pm with no care in place.",
            "adultchild",
        ),
        "Social care",
        "Having to pay £1,200 a week for a care home is madness.",
        (
            "Paying for care for my mum is eating through all her savings and we don't get any help.",
            "adultchild",
        ),
    ],
    "community_nursing": [
        ("The palliative care team at home were outstanding in mum's last weeks.", "adultchild"),
        ("The podiatrist who visits my mother at home is lovely.", "adultchild"),
        (
            "Wound care from the community team has been excellent, but I have to take time off work to wait in for them.",
            "working",
        ),
        (
            "The district nurses who visit my husband are fantastic. They treat him with real respect.",
            "older",
        ),
        "Community nurses are stretched thin but they are the best part of the service.",
        "The district nursing team came every day to do my dressings after surgery, couldn't have asked for more.",
        "Sometimes the community nurses don't turn up when expected and we have no way of contacting them.",
        (
            "Hospital at home was a great idea for my mum, she recovered much better in her own bed.",
            "adultchild",
        ),
        (
            "Our community matron knows my mother's conditions inside out and has kept her out of hospital.",
            "adultchild",
        ),
        "The rapid response team came out when my dad had a fall and saved a trip to hospital.",
        "The continence service took months to sort out and the district nurses couldn't do anything until it was.",
    ],
    "mental_health": [
        "It took three attempts before anyone took my depression seriously.",
        (
            "The eating disorder service was brilliant once we got in, but the wait nearly cost my daughter her life.",
            "parent",
        ),
        "My GP was understanding about my anxiety and referred me to talking therapies straight away.",
        "Mental health services seem to have a different phone number every time I need them.",
        "After my overdose I was discharged with a leaflet. That's all.",
        (
            "My son waited 18 months for CAMHS. By the time he was seen he had left school.",
            "parent",
        ),
        "When I was in crisis I was told to ring a number that nobody answered.",
        "Mental health services are very hard to access unless you're at the point of harming yourself.",
        "The crisis team were brilliant when my partner was unwell, they came out the same day.",
        "Talking therapies helped me a lot, though the wait was about four months.",
        (
            "CAMHS rejected my daughter's referral three times. We paid for private therapy in the end.",
            "parent",
        ),
        "I've been passed between services for years with my mental health. No one takes ownership.",
        "The mental health nurse at my GP surgery was excellent.",
        (
            "Trying to get help for my teenager's eating disorder was the worst experience of my life.",
            "parent",
        ),
        "Inpatient mental health beds are so scarce my friend was sent out of county.",
        "Waited hours in A&E during a mental health crisis in a noisy waiting room. It made things worse.",
        ("Our school's mental health support team have been a lifeline for my son.", "parent"),
        "Mental health care for adults is virtually non-existent in Gloucestershire unless you're sectioned.",
        (
            "As a student I was bounced between the uni counselling service and my GP and neither could help.",
            "young",
        ),
    ],
    "miu": [
        "The minor injuries unit opening hours keep changing, I turned up and it was closed.",
        (
            "Minor injuries at Cirencester was quick but they sent me to Gloucester for an x-ray anyway.",
            "cots",
        ),
        "Good experience at the MIU, no complaints.",
        ("The minor injury unit at Stroud was excellent, seen within half an hour.", "rural"),
        (
            "Used the MIU in Cirencester when I sprained my ankle. Quick, friendly, really good.",
            "cots",
        ),
        "Minor injury units are a hidden gem. Far better than going to A&E.",
        ("The MIU at the Vale were great with my daughter when she cut her hand.", "parent"),
        (
            "The MIU at the Forest hospital was good but the shorter opening hours mean more travel.",
            "fod",
        ),
        (
            "Minor injury unit at Tewkesbury saw me quickly and x-rayed my wrist on the spot.",
            "rural",
        ),
        "NHS 111 sent me to the MIU, which was the right call. Home within two hours.",
    ],
    "pharmacy": [
        "The pharmacist gave me great advice and saved me a GP appointment.",
        "My prescription was ready but the pharmacy had no staff to hand it out, so the door was shut.",
        "The pharmacy now does my blood pressure checks, which is very handy.",
        "Medication shortages mean I get a different brand every month.",
        "The pharmacy is my first port of call now, they are really helpful and you don't need an appointment.",
        "Pharmacy First worked well for my UTI, sorted in 20 minutes.",
        "My local pharmacist knows me and always takes time to check I'm okay with my medication.",
        "The pharmacy is often out of stock of my medication and I have to go round several to find it.",
        "Repeat prescriptions keep going missing between the GP and the pharmacy.",
        "The pharmacist was really helpful when I couldn't get a GP appointment.",
        ("Our village pharmacy closed and now the nearest one is 6 miles away.", "rural"),
        "Queues at the pharmacy are really long, especially on a Monday.",
    ],
    "parking": [
        "Had to park a mile away from the hospital and walk with my crutches.",
        "Parking charges for staff and visitors are outrageous.",
        "Parking at Gloucestershire Royal is so bad I left home two hours early for my appointment.",
        "Parking at Gloucestershire Royal is a nightmare. I've missed appointments driving round looking for a space.",
        "Hospital parking charges are a tax on the sick.",
        "Parking at Cheltenham General is impossible, I now get dropped off and walk.",
        ("Paid £12 to park while visiting my dad. Every day for three weeks.", "adultchild"),
        "Parking",
        "There's never any parking at our GP surgery either.",
        "Blue badge spaces at the hospital are always full.",
        "The park and ride doesn't help if you have mobility problems.",
        "Parking is so bad at the hospital that I was late and they wouldn't see me.",
    ],
    "communication": [
        "I have received three letters for the same appointment with three different times.",
        "The hospital sent my results to my old address even though I had updated it.",
        "I was given a phone number to ring with questions and it just rings out.",
        "No one explained what was happening with my treatment. I felt completely in the dark.",
        "My discharge summary had someone else's medication on it.",
        "Text reminders are great, but when I replied to cancel nothing happened and I was marked as a no-show.",
        "Letters arrive after the appointment date. That has happened to me twice.",
        "My referral was lost and nobody told me. I only found out when I chased it after five months.",
        "Poor communication between the hospital and my GP, my discharge letter never arrived at the surgery.",
        "Nobody phones you back when they say they will.",
        "I was told I'd hear in two weeks. That was in June.",
        "Test results were sent to the wrong surgery.",
        "Had to repeat my whole medical history to five different people in one hospital stay.",
        "Communication is poor. You never know what's happening or who to ask.",
        "The hospital rang to cancel my appointment but didn't rebook it. I had to start all over again.",
        "It would help if letters were in plain English, I didn't understand what the consultant had written.",
        "Messages sent through the system seem to disappear into a black hole.",
        ("No one told us my mother had been moved to a different ward.", "adultchild"),
        "I had to chase everything myself. If I wasn't persistent I would have slipped through the net.",
        "The hospital has no idea what the GP is doing and vice versa.",
    ],
    "continuity": [
        "The practice has no permanent GPs any more, just locums.",
        "My GP retired and since then I've had no one who really knows me.",
        "Seeing different doctors means things get missed. It took a year to get my diagnosis.",
        "I never see the same GP twice, so I have to explain everything again each time.",
        "Continuity of care has gone. We used to have a family doctor who knew us.",
        "Seeing the same doctor makes such a difference when you have a long term condition.",
        "I've seen 7 different doctors about the same problem.",
        "Lots of locums at our surgery, nobody knows my history.",
        "Being able to see my own GP was what made the difference with my depression.",
        "There's no continuity. Every appointment is with someone new who hasn't read my notes.",
        "I used to see the same nurse for my asthma reviews which was great, now it's a different person each time.",
        "Would love to have a named doctor again.",
    ],
    "ambulance": [
        (
            "We waited for an ambulance for three hours with my dad on the kitchen floor. The call handlers kept ringing to check but no one came.",
            "adultchild",
        ),
        "The ambulance came quickly for my neighbour, I was impressed.",
        (
            "In the Forest you might as well drive yourself to Gloucester, the ambulance takes so long.",
            "fod",
        ),
        (
            "Waited 7 hours for an ambulance for my mum after she fell. She was on the floor all that time.",
            "adultchild",
        ),
        (
            "My husband had chest pains and the ambulance took over an hour. Luckily he was ok.",
            "older",
        ),
        "The paramedics were fantastic when they arrived, but it took a very long time.",
        "We were told no ambulance was available and to drive him in ourselves.",
        ("Ambulance response times in rural areas are terrible.", "rural"),
        "The ambulance crew were kind and professional, but then we waited hours with them outside A&E.",
        "My neighbour waited all night for an ambulance after a fall. It's not right.",
        (
            "Had to call 999 for my son's asthma attack and the ambulance came really quickly, brilliant crew.",
            "parent",
        ),
    ],
    "nhs111": [
        "111 gave me an appointment at the urgent treatment centre which was very efficient.",
        ("I waited 5 hours for 111 to call back about my baby's temperature.", "youngparent"),
        ("111 was helpful when my child was ill in the night.", "parent"),
        "NHS 111 was useful, they got me a call back from a doctor the same evening.",
        "Called 111 and waited hours for a call back, then they told me to go to A&E anyway.",
        "111 is a waste of time, they just send everyone to A&E.",
        "The out of hours GP service was good.",
        "111 online was quick and easy.",
    ],
    "dentist": [
        "I'm registered with a dentist but can't get a check up for over a year.",
        ("Children's dental care is impossible to get on the NHS round here.", "parent"),
        "Ended up at A&E with a dental abscess because there were no dentists.",
        "Haven't been able to get an NHS dentist for years. Had to go private for an emergency and it cost £300.",
        "My dentist went private and left us with nowhere to go.",
        "Had toothache for weeks and couldn't get an appointment anywhere.",
        "No NHS dentist within 30 miles taking new patients.",
    ],
    "maternity_children": [
        (
            "Postnatal care was rushed, I was discharged before my baby was feeding properly.",
            "woman,youngparent",
        ),
        (
            "Antenatal appointments were fine but I saw a different midwife every time.",
            "woman,youngparent",
        ),
        (
            "My birth experience at Gloucestershire Royal was traumatic, I felt nobody listened to me.",
            "woman,youngparent",
        ),
        (
            "Midwives were stretched but so supportive, especially on the postnatal ward.",
            "woman,youngparent",
        ),
        ("The birth unit at Stroud was a lovely place to have my baby.", "woman,youngparent"),
        ("Trying to get speech and language therapy for my son has been a battle.", "parent"),
        ("We've been waiting over a year for a paediatric appointment for my daughter.", "parent"),
        (
            "The health visitor was really supportive when I was struggling after my baby was born.",
            "youngparent",
        ),
    ],
    "mixed": [
        "A mixed bag. Some brilliant individuals working in a broken system.",
        "Good and bad. GP hard to get hold of, hospital care excellent once you're in.",
        "Depends where you go. Some services are great, others are dire.",
        "It's got a lot worse in the last five years.",
        "Frustrating.",
        "Poor",
        "Average, nothing special.",
        "Everything takes too long.",
        "The people are great but the system is broken.",
        "Fine for me, but I hear horror stories from friends.",
        "Much better than I expected given everything in the news.",
        "I feel like I have to fight for everything.",
    ],
    "not_used": [
        "I haven't really used any services recently.",
        "Rarely use them, thankfully.",
        "Only been to the GP once this year and it was fine.",
        "Not had much need, touch wood.",
    ],
}

Q2_WEIGHTS: dict[str, float] = {
    "kind_staff": 11,
    "ae_waits": 9,
    "gp_phone": 15,
    "reception": 5,
    "referral_waits": 9,
    "social_care": 5,
    "community_nursing": 3,
    "mental_health": 6,
    "miu": 3,
    "pharmacy": 4,
    "parking": 4,
    "communication": 7,
    "continuity": 5,
    "ambulance": 3.5,
    "nhs111": 2.5,
    "dentist": 2.5,
    "maternity_children": 2.5,
    "mixed": 4,
    "not_used": 1.5,
}
Q2_POSITIVE = {"kind_staff", "miu", "community_nursing"}

Q3_POOL: dict[str, list[Item]] = {
    "app_happy": [
        "The app is brilliant. I wish the hospital letters came through it too.",
        "I've used online services for years and find them very convenient.",
        "I order my meds online and book my asthma review online. Works well.",
        "The NHS App is one of the better things the NHS has done.",
        "Use it all the time, no complaints.",
        "Online repeat prescriptions have been a game changer for me.",
        "I like being able to see letters from the hospital in the app.",
        "Positive. It means I don't have to sit on hold.",
        "Really useful, especially being able to see my GP record.",
        "The app is fine, I mainly use it for prescriptions.",
        "I use the NHS App all the time for repeat prescriptions. Really easy.",
        "The NHS App is great, I can see my test results and order medication without ringing the surgery.",
        "Happy to use online services, it saves a lot of time.",
        "Online is fine for me.",
        "Love being able to order prescriptions online. Much better than the old paper slips.",
        "The app is useful but it doesn't let me book appointments at my surgery, which is the thing I actually need.",
        "I like seeing my records on the app, it helps me keep track of my conditions.",
        "Very positive. I'd rather do everything online.",
        ("Fine with it, I'm used to doing everything on my phone.", "notold"),
        "The NHS App has improved a lot. I use it to check my hospital appointments too.",
        "Good. Quick and easy.",
        (
            "I'm 72 and use the NHS App with no problems. Don't assume all older people can't.",
            "65-74",
        ),
        "Being able to message the surgery online has been brilliant for non-urgent things.",
        "Positive, as long as it works. Sometimes the app logs me out and I can't get back in.",
        "Online booking is so much easier than waiting on the phone.",
        "It's been great for getting my blood test results without chasing.",
        ("I use the app for my prescriptions and my wife's. Simple.", "man"),
        "Digital is the future. Embrace it.",
        "More things should be online. I'd like to be able to change hospital appointments in the app.",
        "The app is handy for showing my vaccination records.",
        "The NHS App is brilliant for ordering my repeat meds. Saves me ringing up.",
        "Good for ordering prescriptions, useless for getting an appointment.",
        "I’m happy with it. I’ve used the app for about two years and it’s got better.",
        "Great",
        "Very happy with them",
    ],
    "prefer_f2f": [
        "I'm not a fan. I think things get missed when you don't see people in person.",
        "A phone call is no good when you need someone to look at something.",
        "I want to be seen, not spoken to down a phone.",
        "Don't like them at all",
        "I'd prefer to see someone in the surgery but I understand why they do it.",
        (
            "Having a phone appointment at some unspecified time during the day is impossible when you work.",
            "working",
        ),
        "Face to face is better for mental health, it's hard to open up over a video call.",
        "Video feels cold and rushed.",
        "Nothing beats sitting down with your doctor.",
        "Phone consultations are fine but I want the option of seeing someone without a battle.",
        "I prefer face to face. A doctor can't examine you over the phone.",
        "Video consultations are not a substitute for seeing someone in person.",
        "I want to see a real person.",
        "Face to face every time. You miss so much on a phone call.",
        "I don't like it. I want to sit in front of my doctor.",
        "For anything serious I think you need to be seen in person.",
        "Phone appointments are ok for results but I had a diagnosis missed because nobody actually looked at me.",
        "Prefer face to face",
        "Telephone consultations are impersonal and I never feel listened to.",
        "It's fine for some things but it shouldn't replace face to face appointments.",
        "I'd rather wait a bit longer and see a doctor in the room.",
        "Not for me. I like to talk to someone properly.",
        "Please don't force everything online. Some of us want to see people.",
        "You can't build a relationship with a doctor on a screen.",
        "Hate it. Feels like they're just trying to save money.",
        "Video calls make me anxious, I never know what to say.",
        "I had a video consultation about a rash and the picture was so poor they had to get me in anyway.",
        ("At my age I just want to see a doctor in the surgery. Is that too much to ask?", "old"),
        "Not keen",
    ],
    "digital_exclusion": [
        ("Many people in my village don't have the internet at all.", "rural"),
        "The assumption that everyone has a smartphone is wrong, especially for older people and people on low incomes.",
        ("My dad has a flip phone and that's all he will ever have.", "adultchild"),
        (
            "I struggle with technology and always have to ask someone at the library to help me.",
            "older",
        ),
        ("It's okay if you are computer literate. I am not.", "older"),
        "I can't afford the internet at home, I use the free wifi at the library.",
        "Digital only excludes the people who most need care.",
        ("I can just about send a text. Apps are beyond me.", "old"),
        (
            "I don't have a smartphone and I don't want one. Please don't leave people like me behind.",
            "older",
        ),
        (
            "My mother is 88 and has no idea how to use the internet. She relies on the phone.",
            "adultchild",
        ),
        "A lot of older people are being excluded by everything going online.",
        ("I'm not good with computers, I find it all very confusing.", "older"),
        "Not everyone can afford a smartphone or data.",
        ("I don't use the internet.", "old"),
        ("Older people like me find these things hard. I worry I will miss out.", "old"),
        ("I have a computer but I'm not confident using it for health things.", "older"),
        "Digital is fine for the young but many of my friends in their 80s can't do it.",
        "What about people who can't read well or don't have a computer?",
        (
            "I tried to set up the NHS App but gave up when it asked me to scan my face and my passport. I don't have a passport.",
            "older",
        ),
        "Not all of us are online. There must always be a phone number that a human answers.",
        ("I am 81 and do not have an email address.", "75+"),
        ("My husband has dementia and there is no way he could use an app.", "old,woman"),
        ("Too complicated for me.", "older"),
        "Passwords and codes sent to my phone – I just can't keep up.",
        "Libraries used to help people get online but the opening hours have been cut.",
        "You shouldn't need a smartphone to see a doctor.",
    ],
    "rural_broadband": [
        ("Our 4G is patchy at best, I had to drive into town to take a video call.", "rural"),
        ("Can't do video calls in our hamlet, the signal's too weak.", "rural"),
        ("We still don't have fibre broadband in our village.", "rural"),
        ("Great idea but the internet out here is so poor I gave up.", "rural"),
        ("Our broadband is terrible in the village, video calls just freeze.", "rural"),
        (
            "Mobile signal is non-existent where I live in the Forest, so phone and video appointments are a struggle.",
            "fod",
        ),
        "Fine in theory, but rural internet isn't good enough for video.",
        ("I have to stand in the garden to get signal for a phone appointment.", "rural"),
        ("In the Cotswolds our internet is too slow for video calls.", "cots"),
        "The video appointment kept cutting out, we gave up and did it by phone.",
        "Digital won't work until rural areas have decent broadband.",
        ("Signal drops out all the time here so I missed a call back from the GP.", "rural"),
    ],
    "video_convenient": [
        "A video appointment with the hospital meant I didn't have to drive to Gloucester and pay for parking.",
        "Phone consultations have been fine for my long term condition reviews.",
        "I had a telephone appointment with my consultant and it was efficient and to the point.",
        ("Really good for me as I have three kids and no childcare.", "youngparent"),
        ("Easier than taking time off work.", "working"),
        "My counselling was on video and it worked better than I expected.",
        (
            "Video appointments are great when you work full time. I don't have to take half a day off.",
            "working",
        ),
        (
            "Really convenient. I had a video call with my consultant from my desk at work.",
            "working",
        ),
        "Phone consultations suit me, saves travelling and parking.",
        "Video calls with the mental health team were easier for me than going in.",
        ("As a busy mum, being able to do appointments online is a godsend.", "woman,youngparent"),
        "It's saved me hours of driving to Cheltenham for a 5 minute follow up.",
        "Good for follow ups and results, I don't need to be in the room for that.",
        "My physio appointments by video worked surprisingly well.",
        "For routine stuff it is very convenient.",
        "Great for medication reviews.",
        "Saves time and petrol.",
        (
            "I had a video consultation with the hospital about my son, it meant he didn't have to miss school.",
            "parent",
        ),
    ],
    "privacy": [
        "I'm wary of putting too much personal information into apps.",
        "I'd like to know how long my information is kept and who it is shared with.",
        "Concerned about the security, but I use it anyway because it's easier.",
        "I don't want my medical information on my phone in case I lose it.",
        "Data sharing worries me, especially with private companies running NHS systems.",
        "I worry about who can see my data.",
        "I'm concerned about data being shared with private companies.",
        "Not keen on my health records being stored online, there have been so many hacks.",
        "Happy to use it as long as my information is kept secure.",
        "Who has access to my records? Nobody has ever explained it.",
        "I don't trust the security of these systems.",
        (
            "Worried about privacy. I live in a shared house and don't want to talk about health stuff on the phone where others can hear.",
            "young",
        ),
        "Concerns about data privacy and it being sold to big tech firms.",
        "Hesitant. I don't fully understand where the information goes.",
        "I don't like the idea of AI being used to triage me.",
    ],
    "online_forms": [
        "The online form is fine but by the time I've filled it in, it says they've reached capacity.",
        "I'd use the online system more if you actually got an answer the same day.",
        "Online requests work better than phoning but the replies are very slow.",
        "I find the questions on the online form confusing and I'm never sure what to put.",
        "The online consultation system is brilliant at our surgery, I usually hear back the same day.",
        "The online form at our surgery closes by 10am because they've hit the limit. What's the point?",
        "The e-consult form is far too long. It asks the same questions over and over.",
        "Online forms are hard to fill in if you have more than one problem.",
        "I filled in the online form and didn't hear anything back for four days.",
        (
            "Our surgery only accepts requests online now, which is fine for me but not for my dad.",
            "adultchild",
        ),
        "The online triage asks whether you have chest pain for every single problem!",
        "I submitted an online request and got a text saying to ring the surgery. Which defeats the point.",
        "The online form takes ages and then tells you to call 111.",
        "I like the online form, it's better than the 8am phone call.",
        "Forms are ok but they should be open all day not just first thing.",
        (
            "Online consultation form is fine but the replies come at random times when I'm at work and can't answer.",
            "working",
        ),
    ],
    "choice_both": [
        "It's good for people who are comfortable with technology, but there must be alternatives.",
        "Fine with it for some things, but I've had a phone appointment for something that really needed an examination.",
        "I use the app for prescriptions but prefer to see someone for anything new.",
        "Happy to use it if it means I get seen quicker.",
        "No strong feelings either way.",
        "A useful extra, not a replacement.",
        "As long as there's still a way in for people who can't go online, fine.",
        "There should be a choice. Online for those who want it, face to face for those who need it.",
        "Mixed feelings. Good for some things, not for others.",
        "I think it depends on the problem. Repeat prescriptions online yes, a lump no.",
        "Online is fine as long as the phone line and front desk are still there.",
        "Use both. Don't make one replace the other.",
        "Okay for simple things.",
        "I'm happy to use it but I worry about people who can't.",
        "It's good to have options.",
        "Depends. Sometimes great, sometimes not.",
        ("Fine for me but my parents would struggle.", "notold"),
        "Useful but shouldn't be the only way in.",
        "I don't mind either way as long as I get seen.",
        "Digital services should be an option, not a requirement.",
        "Neutral. I've used it a couple of times and it was ok.",
        "Good for some people but not everyone. Keep the phone lines open.",
        "Fine for prescriptions but anything personal I want face to face.",
        "OK",
    ],
    "family_help": [
        ("My son sorted out the app for me but I still don't really understand it.", "old"),
        "I help my neighbour with her online prescriptions because she has no one else.",
        (
            "Carers should be able to book appointments online for the person they look after without jumping through hoops.",
            "carer",
        ),
        ("I have to go through my daughter to get anything done online.", "old"),
        ("My daughter has to do it all for me on her phone.", "old"),
        ("I rely on my son to order my prescriptions online because I can't do it.", "old"),
        (
            "I manage the NHS App for both my parents, which works, but they'd be lost without me.",
            "adultchild",
        ),
        ("My granddaughter set it up for me, I can just about use it now.", "old"),
        (
            "I do my mum's online requests for her. It's fine, but what about people who don't have family nearby?",
            "adultchild",
        ),
        ("Without my husband's help I wouldn't be able to use any of it.", "older,woman"),
        (
            "Proxy access for carers would help. I can't get into my dad's account even though I manage everything for him.",
            "adultchild,carer",
        ),
    ],
    "accessibility": [
        "People with learning disabilities need support to use digital services, not just a link.",
        "I have dyslexia and find long online forms exhausting.",
        ("My mum's first language isn't English and she can't use the online form.", "adultchild"),
        "Being able to message rather than phone is a huge help for me as I stammer.",
        "For people with sight loss a lot of the text is too small and the colours are hard to read.",
        "I'm deaf and phone appointments are useless to me. Online messaging is much better.",
        "As a blind person, a lot of the online forms don't work with my screen reader.",
        (
            "My son has a learning disability and needs easy read information and someone he knows.",
            "parent",
        ),
        "English is not my first language and it is hard to explain my problem on a form. I need an interpreter.",
        "For people with autism video calls can be much easier than going into a busy surgery.",
        "The text on the app is too small for me and I can't work out how to make it bigger.",
        "I have anxiety and find the phone very difficult, so online is better for me.",
        "BSL users need video interpreters available for appointments, not just the option to bring a family member.",
        "My hands shake so typing on a phone is really hard.",
    ],
    "tech_issues": [
        "I couldn't verify my identity on the app. Tried three times and gave up.",
        "The surgery website is out of date and half the links don't work.",
        "The video link kept saying my browser wasn't supported.",
        "Too many passwords and different systems.",
        "It's fine until it goes wrong, then you're back to ringing anyway.",
        "The app said my prescription had been sent but the pharmacy had never received it.",
        "The app crashes constantly.",
        "Logging in is a nightmare, there's one login for the NHS App and another for the surgery's system.",
        "I keep getting texts with links and I'm never sure if they're scams.",
        "Too many different apps and websites. The hospital uses one system, the GP uses another.",
        "Patchy. Some things work and some don't.",
        "I was sent a link for a video consultation that didn't work on my tablet.",
        "Text message reminders are useful and I can cancel if I need to.",
        "It's all very well but when it goes wrong there's nobody to help you fix it.",
    ],
    "not_tried": [
        "Haven't needed to use them.",
        "I don't know enough about them to say.",
        "Haven't tried it yet.",
        "I haven't used them, so I can't really say.",
        "Never used them.",
    ],
}

Q3_WEIGHTS: dict[str, float] = {
    "app_happy": 15,
    "prefer_f2f": 12,
    "digital_exclusion": 8,
    "rural_broadband": 3,
    "video_convenient": 7,
    "privacy": 5,
    "online_forms": 6,
    "choice_both": 11,
    "family_help": 3,
    "accessibility": 4,
    "tech_issues": 4,
    "not_tried": 1.5,
}
Q3_POSITIVE = {"app_happy", "video_convenient"}

# ---------------------------------------------------------------------------
# Light variation: prefixes, suffixes, typos, texting style
# ---------------------------------------------------------------------------

PREFIXES: dict[str, list[str]] = {
    "q1": [
        "I think ",
        "Definitely ",
        "For me, ",
        "Personally ",
        "Top of my list: ",
        "Most important: ",
        "Honestly, ",
    ],
    "q2": [
        "Honestly, ",
        "To be honest ",
        "Well, ",
        "In my experience, ",
        "Personally, ",
        "Recently, ",
    ],
    "q3": ["Personally, ", "Honestly, ", "To be honest ", "For me, ", "Well, "],
}
SUFFIXES: dict[str, list[str]] = {
    "q1": [
        "Thank you.",
        "Thanks",
        "That would make a big difference.",
        "That's my main priority.",
        "Please!",
    ],
    "q2": [
        "Thank you.",
        "Thanks for asking.",
        "That's my experience anyway.",
        "Hope this helps.",
        "Just my experience.",
    ],
    "q3": ["Thanks.", "Just my opinion.", "That's all.", "Hope that helps."],
}

MISSPELLINGS: dict[str, list[str]] = {
    "appointment": ["appointmnet", "apointment", "appointmet"],
    "appointments": ["appointmnets", "apointments"],
    "receive": ["recieve"],
    "received": ["recieved"],
    "doctor": ["docter", "doctr"],
    "doctors": ["docters"],
    "definitely": ["definately"],
    "separate": ["seperate"],
    "necessary": ["neccessary"],
    "because": ["becuase", "beacuse"],
    "really": ["realy"],
    "waiting": ["wating", "waitng"],
    "hospital": ["hosptial", "hospial"],
    "which": ["wich"],
    "surgery": ["surgey", "sugery"],
    "prescription": ["perscription"],
    "prescriptions": ["perscriptions", "prescritions"],
    "receptionists": ["receptionsts", "recpetionists"],
    "their": ["thier"],
    "people": ["poeple", "peple"],
    "until": ["untill"],
    "experience": ["experiance"],
    "services": ["sevices", "servcies"],
    "dentist": ["dentsit"],
    "dentists": ["dentits", "dentsits"],
    "elderly": ["elderley"],
    "friend": ["freind"],
    "medication": ["medicaton"],
    "support": ["suport"],
    "access": ["acess"],
    "community": ["comunity"],
    "especially": ["expecially", "especialy"],
    "Gloucestershire": ["Glouscestershire", "Gloucestshire"],
    "Cheltenham": ["Cheltnham"],
    "the": ["teh"],
}
EMPHASIS_WORDS: list[str] = [
    "never",
    "impossible",
    "always",
    "nothing",
    "nobody",
    "awful",
    "terrible",
    "ridiculous",
    "hours",
    "years",
    "months",
    "please",
    "not",
    "every",
    "must",
    "need",
]
PROPER_FIRST_WORDS = {
    "Gloucestershire",
    "Gloucester",
    "Cheltenham",
    "Stroud",
    "Tewkesbury",
    "Cotswold",
    "Cotswolds",
    "Forest",
    "Cinderford",
    "Lydney",
    "Cirencester",
    "Moreton-in-Marsh",
    "English",
    "Carer's",
    "Changing",
    "Pharmacy",
    "Macmillan",
    "Men's",
}
# Topics whose answers stand alone ("I haven't used any services") and are never combined.
NOT_COMBINED = {"not_used", "not_tried"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

# ---------------------------------------------------------------------------
# Respondents and tags
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    """Demographic answers of one synthetic respondent."""

    district: str
    age: str
    gender: str
    disability: str
    carer: str


def _age_in(r: Respondent, bands: Sequence[str]) -> bool:
    return r.age == PNTS or r.age in bands


def _district_in(r: Respondent, districts: Sequence[str]) -> bool:
    return r.district == PNTS or r.district in districts


TAG_RULES: dict[str, Callable[[Respondent], bool]] = {
    "16-24": lambda r: _age_in(r, ["16-24"]),
    "65-74": lambda r: _age_in(r, ["65-74"]),
    "75+": lambda r: _age_in(r, ["75+"]),
    "young": lambda r: _age_in(r, ["16-24", "25-34"]),
    "youngparent": lambda r: _age_in(r, ["25-34", "35-44"]),
    "parent": lambda r: _age_in(r, ["25-34", "35-44", "45-54", "55-64"]),
    "adultchild": lambda r: _age_in(r, ["35-44", "45-54", "55-64", "65-74"]),
    "working": lambda r: _age_in(r, ["16-24", "25-34", "35-44", "45-54", "55-64"]),
    "notold": lambda r: _age_in(r, ["16-24", "25-34", "35-44", "45-54", "55-64"]),
    "older": lambda r: _age_in(r, ["55-64", "65-74", "75+"]),
    "old": lambda r: _age_in(r, ["65-74", "75+"]),
    "carer": lambda r: r.carer == "Yes",
    "woman": lambda r: r.gender in ("Woman", PNTS),
    "man": lambda r: r.gender in ("Man", PNTS),
    "fod": lambda r: _district_in(r, ["Forest of Dean"]),
    "cots": lambda r: _district_in(r, ["Cotswold"]),
    "rural": lambda r: _district_in(r, ["Forest of Dean", "Cotswold", "Stroud", "Tewkesbury"]),
    "glos": lambda r: _district_in(r, ["Gloucester"]),
    "chelt": lambda r: _district_in(r, ["Cheltenham", "Tewkesbury"]),
}


def split_item(item: Item) -> tuple[str, str]:
    """Return (text, tags) for a pool item."""
    if isinstance(item, tuple):
        return item
    return item, ""


def tags_ok(tags: str, r: Respondent) -> bool:
    """True when every comma-separated tag fits the respondent."""
    return all(TAG_RULES[t](r) for t in tags.split(",") if t)


def weighted_choice(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    """Pick one option from (value, weight) pairs."""
    values = [v for v, _ in options]
    weights = [w for _, w in options]
    return rng.choices(values, weights=weights, k=1)[0]


def make_respondent(rng: random.Random) -> Respondent:
    """Draw correlated demographics for one respondent."""
    district = weighted_choice(rng, DISTRICTS)
    age = weighted_choice(rng, AGE_BANDS)
    gender = weighted_choice(rng, GENDERS)
    if rng.random() < 0.05:
        disability = PNTS
    else:
        disability = "Yes" if rng.random() < DISABILITY_YES_BY_AGE[age] else "No"
    if rng.random() < 0.04:
        carer = PNTS
    else:
        carer = "Yes" if rng.random() < CARER_YES_BY_AGE[age] else "No"
    return Respondent(district, age, gender, disability, carer)


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------


def lower_first(text: str) -> str:
    """Lower-case the first letter unless it starts an acronym, 'I' or a place name."""
    if not text:
        return text
    first = text.split(" ", 1)[0].rstrip(",.:;!?")
    if (
        first in PROPER_FIRST_WORDS
        or first == "I"
        or first.startswith(("I'", "I’"))
        or (len(first) > 1 and first[1].isupper())
        or first.isupper()
        or first[0].isdigit()
    ):
        return text
    return text[0].lower() + text[1:]


def capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def ensure_stop(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def inject_typo(text: str, rng: random.Random) -> str:
    """Introduce one realistic spelling mistake."""
    words = re.findall(r"[A-Za-z]+", text)
    known = [w for w in words if w in MISSPELLINGS or w.lower() in MISSPELLINGS]
    if rng.random() < 0.85:  # "teh" would otherwise dominate, "the" is in almost every answer
        known = [w for w in known if w.lower() != "the"]
    if known and rng.random() < 0.75:
        word = rng.choice(known)
        key = word if word in MISSPELLINGS else word.lower()
        wrong = rng.choice(MISSPELLINGS[key])
        if word[0].isupper() and not wrong[0].isupper():
            wrong = capitalise_first(wrong)
        return re.sub(rf"\b{re.escape(word)}\b", wrong, text, count=1)
    long_words = [w for w in words if len(w) >= 5]
    if not long_words:
        return text
    word = rng.choice(long_words)
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.45:  # swap two neighbouring letters
        wrong = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif kind < 0.8:  # drop a letter
        wrong = word[:i] + word[i + 1 :]
    else:  # double a letter
        wrong = word[:i] + word[i] + word[i:]
    return re.sub(rf"\b{re.escape(word)}\b", wrong, text, count=1)


def texting_style(text: str, rng: random.Random) -> str:
    """All lower case, no apostrophes, no final full stop, the odd abbreviation."""
    t = text.lower().replace("'", "").replace("’", "").rstrip(".")
    if rng.random() < 0.4:
        t = re.sub(r"\byou\b", "u", t)
    if rng.random() < 0.5:
        t = re.sub(r"\bbecause\b", "cos", t)
    if rng.random() < 0.3:
        t = t.replace(" and ", " & ")
    return t


def shout_word(text: str, rng: random.Random) -> str:
    """Put one emphatic word in capitals, if there is one."""
    present = [w for w in EMPHASIS_WORDS if re.search(rf"\b{w}\b", text)]
    if not present:
        return text
    w = rng.choice(present)
    return re.sub(rf"\b{w}\b", w.upper(), text, count=1)


def smart_quotes(text: str) -> str:
    return text.replace("'", "’")


# ---------------------------------------------------------------------------
# Drawing base responses
# ---------------------------------------------------------------------------


class Deck:
    """Shuffled base responses for one topic, dealt without replacement until exhausted."""

    def __init__(self, items: Sequence[Item], rng: random.Random) -> None:
        self._items = list(items)
        self._rng = rng
        self._cards: list[Item] = []

    def _refill(self) -> None:
        fresh = list(self._items)
        self._rng.shuffle(fresh)
        self._cards.extend(fresh)

    def draw(self, r: Respondent, max_len: int | None = None, min_len: int = 0) -> str | None:
        """Deal the next response that fits the respondent and length limits, or None."""
        for _ in range(2):
            for i, item in enumerate(self._cards):
                text, tags = split_item(item)
                if tags_ok(tags, r) and min_len <= len(text) <= (max_len or len(text)):
                    del self._cards[i]
                    return text
            self._refill()
        return None


class QuestionWriter:
    """Writes answers to one free-text question."""

    def __init__(
        self,
        key: str,
        pool: dict[str, list[Item]],
        base_weights: dict[str, float],
        weight_fn: Callable[[Respondent, dict[str, float]], dict[str, float]],
        rng: random.Random,
        p_nonanswer: float,
        p_combo: float,
        p_list: float = 0.0,
        fragments: dict[str, list[str]] | None = None,
        positive: set[str] | None = None,
    ) -> None:
        self.key = key
        self.rng = rng
        self.decks = {topic: Deck(items, rng) for topic, items in pool.items()}
        self.base_weights = base_weights
        self.weight_fn = weight_fn
        self.p_nonanswer = p_nonanswer
        self.p_combo = p_combo
        self.p_list = p_list
        self.fragments = fragments or {}
        self.positive = positive or set()
        self.seen: set[str] = set()

    # -- topic choice -------------------------------------------------------
    def _topics(self, r: Respondent, k: int, combining: bool = False) -> list[str]:
        weights = self.weight_fn(r, dict(self.base_weights))
        chosen: list[str] = []
        while len(chosen) < k:
            names = [
                t for t in weights if t not in chosen and not (combining and t in NOT_COMBINED)
            ]
            chosen.append(self.rng.choices(names, weights=[weights[t] for t in names], k=1)[0])
        return chosen

    def _draw(self, topic: str, r: Respondent, max_len: int | None = None, min_len: int = 0) -> str:
        text = self.decks[topic].draw(r, max_len, min_len)
        if text is None:  # nothing fits this respondent: fall back to any response of the topic
            text = self.decks[topic].draw(
                Respondent(PNTS, PNTS, PNTS, PNTS, "Yes"), max_len, min_len
            )
        assert text is not None
        return text

    # -- answer shapes ------------------------------------------------------
    def _single(self, r: Respondent) -> tuple[str, list[str]]:
        topic = self._topics(r, 1)[0]
        return self._draw(topic, r), [topic]

    def _combo(self, r: Respondent) -> tuple[str, list[str]]:
        k = 2 if self.rng.random() < 0.72 else 3
        topics = self._topics(r, k, combining=True)
        min_len = 12 if self.key == "q1" else 25
        parts = [ensure_stop(self._draw(t, r, max_len=170, min_len=min_len)) for t in topics]
        style = self.rng.random()
        if self.key == "q1" and k == 3 and style < 0.3:
            text = (
                f"Firstly {lower_first(parts[0])} Secondly {lower_first(parts[1])} "
                f"Thirdly {lower_first(parts[2])}"
            )
        elif style < 0.55:
            text = " ".join(parts)
        elif style < 0.75:
            text = "\n\n".join(parts) if self.key != "q1" else "\n".join(parts)
        else:
            text = parts[0]
            for topic, part in zip(topics[1:], parts[1:], strict=True):
                contrast = (topics[0] in self.positive) != (topic in self.positive)
                if contrast and self.key != "q1":
                    text += (
                        " "
                        + self.rng.choice(["However, ", "But ", "On the other hand, "])
                        + lower_first(part)
                    )
                elif self.key == "q3":
                    text += " " + part
                else:
                    joiner = self.rng.choice(
                        ["Also ", "And ", "Also, "] if self.key == "q1" else ["Also ", "Also, "]
                    )
                    text += " " + joiner + lower_first(part)
        return text, topics

    def _list(self, r: Respondent) -> tuple[str, list[str]]:
        k = self.rng.choices([2, 3, 4, 5], weights=[22, 66, 8, 4], k=1)[0]
        topics = self._topics(r, k)
        items: list[str] = []
        for topic in topics:
            if self.rng.random() < 0.25:
                items.append(self._draw(topic, r, max_len=90).rstrip("."))
            else:
                items.append(self.rng.choice(self.fragments[topic]))
        style = self.rng.randrange(9)
        cap = [capitalise_first(i) for i in items]
        if style == 0:
            return " ".join(f"{n}. {t}" for n, t in enumerate(cap, 1)), topics
        if style == 1:
            return "\n".join(f"{n}) {t}" for n, t in enumerate(items, 1)), topics
        if style == 2:
            return "\n".join(f"{n}. {t}" for n, t in enumerate(cap, 1)), topics
        if style == 3:
            return capitalise_first(", ".join(items)), topics
        if style == 4:
            return capitalise_first(", ".join(items[:-1]) + " and " + items[-1]), topics
        if style == 5:
            return "\n".join(cap), topics
        if style == 6:
            return "\n".join(f"- {t}" for t in items), topics
        if style == 7:
            return " ".join(ensure_stop(t) for t in cap), topics
        return " ".join(f"{n} {t.lower()}" for n, t in enumerate(items, 1)), topics

    # -- variation ------------------------------------------------------------
    def _vary(self, text: str, r: Respondent, topics: list[str]) -> str:
        rng = self.rng
        ops = ["lower", "stop", "prefix", "suffix", "first", "text", "extend"]
        if rng.random() < 0.35:
            ops.append("typo")
        for op in rng.sample(ops, k=rng.choice([1, 1, 2])):
            if op == "lower":
                text = lower_first(text)
            elif op == "stop":
                text = text.rstrip(".") if text.endswith(".") else text + "."
            elif op == "prefix":
                text = rng.choice(PREFIXES[self.key]) + lower_first(text)
            elif op == "suffix":
                sep = " " if text.endswith((".", "!", "?")) or rng.random() < 0.3 else ". "
                text = text + sep + rng.choice(SUFFIXES[self.key])
            elif op == "first":
                sentences = SENTENCE_END.split(text)
                if len(sentences) > 1:
                    text = sentences[0]
            elif op == "typo":
                text = inject_typo(text, rng)
            elif op == "text":
                text = texting_style(text, rng)
            else:
                other = self._topics(r, 1, combining=True)[0]
                if other not in topics and other not in NOT_COMBINED:
                    text = ensure_stop(text) + " " + self._draw(other, r, max_len=120, min_len=25)
        return text

    # -- public -------------------------------------------------------------------
    def non_answer(self) -> str:
        return weighted_choice(self.rng, NON_ANSWERS)

    def answer(self, r: Respondent) -> tuple[str, list[str]]:
        """Return (answer text, topics used); topics is empty for a non-answer."""
        rng = self.rng
        u = rng.random()
        if u < self.p_nonanswer:
            return self.non_answer(), []
        u = rng.random()
        if u < self.p_list:
            text, topics = self._list(r)
        elif u < self.p_list + self.p_combo:
            text, topics = self._combo(r)
        else:
            text, topics = self._single(r)

        # Surface noise, independent of reuse.
        if rng.random() < 0.07:
            text = inject_typo(text, rng)
            if rng.random() < 0.2:
                text = inject_typo(text, rng)
        if rng.random() < 0.035:
            text = texting_style(text, rng)
        if rng.random() < 0.025:
            text = shout_word(text, rng)
        if rng.random() < 0.01:
            text = smart_quotes(text)
        if rng.random() < 0.02:
            text = text + " "

        # Someone else already wrote exactly this: usually vary it a little.
        if text in self.seen and rng.random() > 0.04:
            for _ in range(8):
                text = self._vary(text, r, topics)
                if text not in self.seen:
                    break
        self.seen.add(text)
        return text, topics


# ---------------------------------------------------------------------------
# Demographic tilts on topic weights
# ---------------------------------------------------------------------------


def q1_tilt(r: Respondent, w: dict[str, float]) -> dict[str, float]:
    if r.carer == "Yes":
        w["carers"] *= 3.5
    if r.age in ("65-74", "75+"):
        w["loneliness"] *= 2.0
        w["waiting_lists"] *= 1.4
        w["mental_health"] *= 0.6
    if r.age in ("16-24", "25-34"):
        w["mental_health"] *= 1.7
        w["active"] *= 1.3
        w["cost_housing"] *= 1.4
    if r.district in ("Forest of Dean", "Cotswold"):
        w["transport_rural"] *= 3.0
        w["dentists"] *= 1.3
    if r.district == "Gloucester":
        w["drugs_alcohol"] *= 1.5
        w["cost_housing"] *= 1.2
    return w


def q2_tilt(r: Respondent, w: dict[str, float]) -> dict[str, float]:
    if r.carer == "Yes":
        w["social_care"] *= 2.5
        w["community_nursing"] *= 1.8
    if r.age in ("65-74", "75+"):
        w["social_care"] *= 1.6
        w["kind_staff"] *= 1.2
        w["mental_health"] *= 0.5
    if r.age in ("16-24", "25-34"):
        w["mental_health"] *= 1.8
    if r.age in ("35-44", "45-54", "55-64"):
        w["gp_phone"] *= 1.2
    if r.district in ("Forest of Dean", "Cotswold"):
        w["ambulance"] *= 1.8
        w["miu"] *= 1.4
    if r.district in ("Gloucester", "Cheltenham"):
        w["parking"] *= 1.3
    return w


def q3_tilt(r: Respondent, w: dict[str, float]) -> dict[str, float]:
    if r.age == "75+":
        w["digital_exclusion"] *= 4.0
        w["family_help"] *= 3.0
        w["video_convenient"] *= 0.3
        w["app_happy"] *= 0.5
    elif r.age == "65-74":
        w["digital_exclusion"] *= 2.5
        w["family_help"] *= 1.8
        w["prefer_f2f"] *= 1.4
        w["video_convenient"] *= 0.5
    elif r.age in ("16-24", "25-34", "35-44"):
        w["digital_exclusion"] *= 0.4
        w["app_happy"] *= 1.3
        w["video_convenient"] *= 1.6
    elif r.age in ("45-54", "55-64"):
        w["video_convenient"] *= 1.3
    if r.carer == "Yes":
        w["family_help"] *= 1.8
    if r.district in ("Forest of Dean", "Cotswold"):
        w["rural_broadband"] *= 3.5
    if r.disability == "Yes":
        w["accessibility"] *= 1.8
    return w


# ---------------------------------------------------------------------------
# Closed questions and timestamps
# ---------------------------------------------------------------------------


def health_rating(r: Respondent, rng: random.Random) -> str:
    """Self-rated health, worse with age and with a long-term condition."""
    if rng.random() < 0.006:
        return ""
    age_idx = {
        "16-24": 0,
        "25-34": 1,
        "35-44": 2,
        "45-54": 3,
        "55-64": 4,
        "65-74": 5,
        "75+": 6,
    }.get(r.age, 3)
    shift = age_idx * 0.25 + (1.3 if r.disability == "Yes" else 0.0)
    weights = [
        max(0.2, 3.0 - shift),  # Very good
        max(1.0, 5.0 - shift * 0.6),  # Good
        2.0 + shift * 0.8,  # Fair
        0.4 + shift * 0.4,  # Bad
        0.1 + shift * 0.12,  # Very bad
        0.25,  # Prefer not to say
    ]
    return rng.choices(HEALTH_OPTIONS, weights=weights, k=1)[0]


def services_used(r: Respondent, q2_topics: list[str], rng: random.Random) -> str:
    """Microsoft Forms multi-select: options in form order, each followed by ';'."""
    if rng.random() < 0.01:
        return ""
    forced = {Q2_TOPIC_SERVICE[t] for t in q2_topics if t in Q2_TOPIC_SERVICE}
    older = r.age in ("65-74", "75+")
    chosen: list[str] = []
    for option, p in SERVICE_OPTIONS:
        if option == "Social care" and (older or r.carer == "Yes"):
            p *= 2.5
        if option == "Community nursing" and older:
            p *= 2.0
        if option == "Mental health services" and r.age in ("16-24", "25-34"):
            p *= 2.0
        if option == "Hospital outpatients" and (older or r.disability == "Yes"):
            p *= 1.4
        if option in forced or rng.random() < p:
            chosen.append(option)
    return "".join(f"{c};" for c in chosen)


SURVEY_START = datetime(2026, 9, 1)
SURVEY_END = datetime(2026, 11, 30, 23, 59, 59)
HOUR_WEIGHTS: list[float] = [
    0.2,
    0.1,
    0.05,
    0.05,
    0.05,
    0.2,
    0.6,
    1.5,
    2.2,
    2.4,
    2.3,
    2.2,
    3.0,
    3.1,
    2.2,
    2.0,
    2.0,
    2.2,
    2.6,
    3.2,
    3.4,
    3.0,
    1.8,
    0.7,
]


def day_weight(day: int, start: datetime) -> float:
    """Launch burst, a mid-October reminder and a closing push."""
    w = 1.0 + 4.0 * math.exp(-day / 5.0)
    w += 2.5 * math.exp(-(((day - 44) / 3.0) ** 2))
    w += 1.8 * math.exp(-(((day - 85) / 2.5) ** 2))
    if (start + timedelta(days=day)).weekday() >= 5:
        w *= 0.75
    return w


def timestamps(n_chars: int, rng: random.Random) -> tuple[datetime, datetime]:
    """Start and completion times; longer answers take longer to write."""
    n_days = (SURVEY_END - SURVEY_START).days + 1
    day_weights = [day_weight(d, SURVEY_START) for d in range(n_days)]
    while True:
        day = rng.choices(range(n_days), weights=day_weights, k=1)[0]
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS, k=1)[0]
        start = SURVEY_START + timedelta(
            days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)
        )
        seconds = 180 + n_chars * rng.uniform(0.35, 0.9) + rng.expovariate(1 / 150)
        seconds = min(seconds, 1500 - rng.randrange(0, 120))
        end = start + timedelta(seconds=int(seconds))
        if end <= SURVEY_END:
            return start, end


def forms_time(dt: datetime) -> str:
    """Microsoft Forms export style: M/D/YYYY H:MM:SS."""
    return f"{dt.month}/{dt.day}/{dt.year} {dt.hour}:{dt.minute:02d}:{dt.second:02d}"


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def build_rows(n: int, seed: int) -> list[list[str]]:
    """Build the header and n data rows, sorted by completion time."""
    rng = random.Random(seed)
    q1 = QuestionWriter(
        "q1",
        Q1_POOL,
        Q1_WEIGHTS,
        q1_tilt,
        rng,
        p_nonanswer=0.065,
        p_combo=0.09,
        p_list=0.15,
        fragments=Q1_FRAGMENTS,
    )
    q2 = QuestionWriter(
        "q2",
        Q2_POOL,
        Q2_WEIGHTS,
        q2_tilt,
        rng,
        p_nonanswer=0.062,
        p_combo=0.22,
        positive=Q2_POSITIVE,
    )
    q3 = QuestionWriter(
        "q3",
        Q3_POOL,
        Q3_WEIGHTS,
        q3_tilt,
        rng,
        p_nonanswer=0.062,
        p_combo=0.19,
        positive=Q3_POSITIVE,
    )

    records: list[tuple[datetime, datetime, list[str]]] = []
    for _ in range(n):
        r = make_respondent(rng)
        if rng.random() < 0.02:  # answered only the closed questions
            a1, a2, a3 = "", "", ""
            t2: list[str] = []
        else:
            a1, _ = q1.answer(r)
            a2, t2 = q2.answer(r)
            a3, _ = q3.answer(r)
        start, end = timestamps(len(a1) + len(a2) + len(a3), rng)
        row = [
            "",  # ID, filled in after sorting
            forms_time(start),
            forms_time(end),
            "anonymous",
            "",
            a1,
            a2,
            a3,
            health_rating(r, rng),
            services_used(r, t2, rng),
            r.district,
            r.age,
            r.gender,
            r.disability,
            r.carer,
        ]
        records.append((end, start, row))

    records.sort(key=lambda rec: (rec[0], rec[1]))
    rows = [HEADER]
    for i, (_, _, row) in enumerate(records, 1):
        row[0] = str(i)
        rows.append(row)
    return rows


def write_csv(rows: list[list[str]], out: Path) -> None:
    """Write UTF-8 with BOM and CRLF line endings, as Excel does."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_MINIMAL).writerows(rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="number of respondents")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = build_rows(args.n, args.seed)
    write_csv(rows, args.out)
    print(f"wrote {len(rows) - 1} responses to {args.out}")


if __name__ == "__main__":
    main()
