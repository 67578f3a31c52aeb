"""The small lexicons behind ``hotline_complaints`` and ``hotline_intensity``.

Written by hand for this project from general English complaint language (not
from any evaluation set). Two kinds of entries:

* **words**: lemmas, matched in all their regular inflections on the
  lower-cased token (``_text.word_forms``), so "frustrate" also finds
  "frustrated" and "frustrating" whether or not a lemmatizer ran. A word cue
  preceded by a negator ("not a problem", "nothing wrong") is handled by the
  component (see ``_text.is_negated``).
* **phrases**: Python regular expressions over the lower-cased text, for
  multi-word cues whose meaning is in the combination ("keeps dropping",
  "was charged twice", "no one called back"). Negation is written into them.

Each component copies these into its own data, so a saved pipeline keeps the
lexicons it was built with.
"""

from __future__ import annotations

__all__ = [
    "COMPLAINT_PHRASES",
    "COMPLAINT_WORDS",
    "INTENSITY_PHRASES",
    "NO_FLIP_POSITIVE",
    "VALENCE",
]

# ---------------------------------------------------------------------------
# hotline_complaints
# ---------------------------------------------------------------------------

COMPLAINT_WORDS: dict[str, list[str]] = {
    # negative evaluation of a product, a policy, a company or its people
    "neg_eval": """terrible awful horrible horrendous dreadful appalling atrocious abysmal pathetic
        ridiculous ludicrous absurd unacceptable outrageous disgraceful disgrace shameful shocking
        useless hopeless worthless incompetent unprofessional rude lousy rubbish garbage crap crappy
        scam scammer fraud fraudulent predatory deceptive misleading dishonest unfair unjust unethical
        illegal unlawful crooked shady nightmare worst disgusting insulting unreasonable excessive
        exorbitant extortionate negligent careless inept shoddy substandard poor bad ripoff rip-off
        robbery extortion joke farce shambles mess chaos sham con brick laughable inexcusable
        unbelievable disrespectful condescending patronising patronizing greedy predator impossible
        outrageously downgrade penny-pinching""".split(),
    # a fault, a failure, something that went wrong
    "problem": """broken faulty defective damaged wrong incorrect outage
        failure fail crash freeze disconnect disconnection drop lost missing cracked smashed
        late delay overdue unresolved unauthorized unauthorised overcharge overbill overcharged
        stuck dead intermittent patchy unusable unreliable unstable inaccurate erroneous
        duplicate bogus malfunction malfunctioning lag buffer buffering outdated
        harass harassment threaten mislead deceive cheat steal trick ignore refuse deny
        garnish repossess violate violation breach victim theft stolen struggle overdraft denial
        unfairly wrongly wrongful illegally inaccurately incorrectly misled incomplete delinquent""".split(),
    # problem nouns: something is amiss, but "a technical problem" alone is not yet a complaint
    "weak_problem": """problem issue error mistake glitch bug fault slow reboot restart""".split(),
    # asking for a remedy, or escalating
    "demand_word": """refund compensation compensate reimburse reimbursement cancel complaint complain
        escalate escalation chargeback dispute""".split(),
    # the customer's feelings
    "emotion": """frustrate frustrated frustrating frustration annoy annoyed annoying angry anger
        furious livid irate upset disappoint disappointed disappointing disappointment unhappy
        dissatisfied displeased disgusted outraged appalled horrified shocked infuriate infuriated
        infuriating exasperate exasperated exasperating aggravate aggravated aggravating heartbroken
        devastated helpless powerless trapped cheated betrayed humiliated insulted distressed
        stressed stressful stress mad sick tired gutted fuming seething desperate exhausted""".split(),
    # thanks, praise, satisfaction: a complaint is rarely only this
    "positive": """thank thanks appreciate great perfect lovely brilliant excellent wonderful
        fantastic awesome amazing helpful happy glad pleased satisfied love cheers delighted
        superb""".split(),
    # words that say nothing alone but are a complaint when negated ("not fair", "not working")
    "flip": """good fine fair acceptable reasonable right ok okay sorted resolved working quick
        fast easy friendly patient kind clear enough""".split(),
}
"""Word cues for the complaint score, by feature."""

NO_FLIP_POSITIVE = frozenset({"thank", "thanks", "thanked", "thanking", "cheers", "appreciate", "please"})
"""Positive words whose negation is not a complaint ("no thanks")."""

COMPLAINT_PHRASES: dict[str, list[str]] = {
    "neg_eval": [
        r"rip(?:ped|s)?[- ]?off",
        r"(?:a|an absolute|a complete|a total|beyond a) joke",
        r"waste of (?:my |your |our |everyone's )?(?:time|money|space)",
        r"so much for (?:the|your|my|that)",
        r"nowhere near",
        r"not good enough",
        r"(?:too|so|very|way too|really|ridiculously|extremely|painfully|incredibly) (?:expensive|pricey|overpriced|high|dear|slow|long)",
        r"(?:can't|cannot|can not|cant) (?:work|live|go on|carry on|continue|cope) like this",
        r"(?:makes?|made) no sense",
        r"(?:should|ought to) be ashamed",
        r"(?:taking|take|took) (?:me|us|customers|people) for (?:a ride|granted|fools?|idiots?)",
        r"what a (?:joke|mess|shambles|farce|nightmare)",
        r"treat(?:ed|ing)? (?:me|us|customers|people) (?:like|badly|poorly)",
        r"worst (?:\w+ )?(?:service|company|provider|experience|bank|lender|customer service)",
        r"(?:every|any) other (?:provider|company|bank|lender|network|supplier)",
        r"(?:bad|poor|terrible|awful|horrible) (?:service|experience|customer service|support|communication)",
        r"fe{1,3}d up|sick (?:and tired )?of|tired of|had enough|enough is enough|last straw",
        r"losing (?:money|business|customers|sleep)",
        r"(?:is|are|was|were) (?:way |far |much )?(?:too|to) (?:much|high|expensive|steep)",
        r"gaming the system|(?:take|takes|taking|taken|took) advantage",
        r"(?:charging|charge|charged|paying|pay|paid) (?:\w+ ){0,3}(?:for nothing|through the nose)",
    ],
    "problem": [
        # does not work
        r"(?:doesn't|does not|didn't|did not|won't|will not|can't|cannot|couldn't|could not|isn't|is not|aren't|are not|wasn't|was not|never|not|stopped|stop|quit|keeps? not) (?:\w+ )?(?:work|working|worked|load|loading|connect|connecting|turn on|charge|charging|respond|responding|sync|syncing|open|opening|register|registering)",
        r"(?:stopped|quit|ceased) (?:working|functioning)",
        r"(?:keeps?|kept|keeping) (?:on )?(?:dropping|crashing|freezing|failing|disconnecting|cutting (?:out|off)|going (?:down|off|out)|rebooting|restarting|resetting|buffering|charging|billing|sending|calling|happening|losing|breaking|timing out|turning off)",
        r"(?:is|are|was|were|been|went|goes|going|keeps? going) (?:down|offline|off ?line|dead|off|out)\b",
        r"(?:no|zero|not any|not getting any|without) (?:signal|service|internet|connection|dial ?tone|wi-?fi|broadband|tv|picture|sound|response|reply|answer|update|help|explanation|refund|call ?back)",
        r"(?:can't|cannot|can not|couldn't|could not|unable to) (?:get|access|log ?in|sign ?in|use|make|connect|hear|see|watch|call|send|receive|pay|reach|get through|afford|stream|record)",
        r"(?:barely|hardly) (?:get|works?|working|any|usable|move|load)",
        # money taken wrongly
        r"(?:was|were|been|being|got|get|getting|am|is|are) (?:\w+ )?(?:charged|billed|debited) (?:twice|double|two times|again|extra|more|too much|for (?:something|a service|services|things|an?)|without)",
        r"(?:charg|bill)(?:ed|ing|e) (?:me|us)(?: \w+){0,3} (?:twice|double|again|for|extra|too much|without)",
        r"double[- ]?(?:charged|billed|charge)|charged double|over[- ]?(?:charg(?:e|ed|es|ing)|bill(?:ed|ing|s)?)",
        r"(?:took|taken|take|takes|taking|withdrew|withdrawn|debited|deducted|pulled) (?:\$?\w+ ){0,3}(?:from|out of) my (?:account|card|bank|paycheck|wages)",
        r"(?:without|no|never gave|never given|did not give|didn't give) (?:my |any |their |prior )?(?:permission|consent|authori[sz]ation|notice|warning|notification|knowledge|approval)",
        r"never (?:asked|agreed|signed|authori[sz]ed|ordered|requested|consented|applied|received|got|used|had|opened|took out|borrowed)",
        r"never (?:\w+ )?(?:rang|rings|called|calls|came|comes|arrived?|arrives|showed|shows|turned up|heard|got back|worked|works|answered)",
        r"(?:did not|didn't|do not|don't|have not|haven't) (?:authori[sz]e|agree|order|sign|request|consent|owe|recogni[sz]e)",
        r"(?:wrong|incorrect) (?:amount|charge|bill|item|address|price|information|number|plan|rate|balance)",
        r"(?:made|making|make) (?:a |an )?(?:mistake|error)|in error|by mistake",
        r"(?:fee|charge|price|bill|rate|payment|premium|interest)s? (?:\w+ ){0,2}(?:went up|has gone up|have gone up|increased|doubled|tripled|shot up|jumped|is back|are back)",
        r"(?:lost|wiped|deleted|gone) (?:all )?(?:my|our) (?:recordings?|data|files|photos|contacts|messages|money|savings|work)",
        r"(?:hasn't|haven't|didn't|did not|has not|have not|wasn't|was not|weren't|were not|never|not) (?:been |yet )?(?:arrived?|come|came|received|refunded|credited|resolved|fixed|sorted|delivered|processed|applied|updated|repaired|replaced|returned|paid|honou?red|acknowledged|released|removed|corrected|closed|cancell?ed|reversed)",
        r"(?:still|yet to|never) (?:\w+ )?(?:arrive|arrived|come|came|received?|resolved|fixed|sorted|delivered)",
        r"(?:not|never|didn't|did not|haven't|have not|hasn't|has not) (?:\w+ )?(?:heard back|got back|gotten back|called back|rang back|responded|replied|answered|showed up|turned up)",
        r"(?:no ?one|nobody|no-one) (?:\w+ ){0,2}(?:called|rang|phoned|came|showed|turned|responded|replied|answered|got back|gets back|helped|listens|cares|bothered|contacted|followed|told|warned|informed|explained|mentioned|tell|knows|know|explain|answer)",
        r"(?:i was|we were|i've been|i have been|we've been|been) (?:told|promised|assured|informed|led to believe)\b[^.?!]{0,120}\bbut\b",
        r"(?:promised|told|assured) (?:me|us) [^.?!]{0,80}\b(?:never|didn't|did not|wasn't|hasn't|still)\b",
        r"(?:won't|will not|wouldn't|would not|couldn't|could not|can't|cannot|refused? to|refusing to) (?:let me|give|refund|cancel|help|fix|remove|waive|accept|honou?r|release|return|answer|explain|stop|correct|update|close)",
        r"(?:cut|cuts|cutting) (?:me |us )?(?:off|out)",
        r"(?:out of|without) (?:service|internet|power|a phone|tv|signal)",
        r"(?:error|fault|problem|issue)s? (?:on|with) (?:the|my|your) (?:line|bill|account|connection|router|service|side)",
        r"(?:sent|referred|reported|turned) (?:me |my account |my debt |it )?(?:over )?to (?:collections?|a collection agency|debt collectors?)",
        r"(?:ruin(?:ed|ing)?|damag(?:ed|ing)|hurt(?:ing)?|destroy(?:ed|ing)?) my (?:credit|score|life|business)",
        r"(?:threaten(?:ed|ing)?|harass(?:ed|ing)?|lied to|misled|mislead|deceived|tricked|scammed|cheated|ignored) (?:me|us|customers)",
        r"(?:not|never) (?:what|as) (?:i|we) (?:was|were) (?:told|promised|sold)",
        r"(?:not|isn't|wasn't) (?:what|as) (?:advertised|described|promised|agreed)",
        r"on hold for (?:\w+ ){0,2}(?:hours?|minutes|ages|ever)",
        r"(?:this|that|it) (?:is|was) not (?:the case|true|correct|right|accurate|what (?:i|we) (?:was|were) told)",
        r"not what (?:she|he|they|you|i was|we were|i had been|the (?:rep|representative|agent)) (?:\w+ )?(?:told|said|promised|agreed|quoted|offered)",
        r"nothing (?:was|has been|got|had been|is being) (?:\w+ )?(?:applied|credited|done|fixed|resolved|refunded|received|sent|returned)",
        r"not (?:properly|correctly|clearly|fully|ever) (?:informed|told|explained|disclosed|notified|applied|credited|processed|reported)",
        r"(?:prevent|prevents|prevented|preventing|stop|stops|stopped|stopping|keeps|keeping) me from",
        r"(?:can|could) no longer|no longer (?:works?|working|able|have access|get)",
        r"(?:can't|cannot|can not|won't|will not|wouldn't|would not|couldn't|could not|refuse to|refused to) (?:offer|give|provide|issue|process|send|approve) (?:me )?(?:a |any |my )?(?:refund|credit|help|assistance|explanation|answer|money|information|documents?)",
        r"(?:barely|hardly) (?:can|able|afford|make ends)",
        r"(?:has|have|had|they|you|company) (?:\w+ )?charged me|charged me (?:interest|fees?|a (?:\w+ )?fee|an? \w+ fee|for)",
        r"(?:identity|id) theft|stolen identity|fraudulent(?:ly)?",
        r"(?:times|months|days|weeks|nights|mornings) in a row",
        r"(?:has|have|'s|'ve|had) (?:\w+ ){0,3}(?:gone up|increased|doubled|tripled|risen|shot up)(?: by)?",
        r"(?:doesn't|does not|won't|will not|can't|cannot|didn't|did not) (?:\w+ )(?:anything|at all|properly|any ?more)",
        r"(?:normally|usually|used to be|should be) (?:only )?(?:half|less|cheaper|lower|\$)",
        r"hung up on (?:me|us)|(?:kept|keeps|keep) (?:on )?(?:interrupting|cutting me off|hanging up|transferring me|passing me|putting me on hold|fobbing)",
        r"(?:lost|losing|lose|wiped|deleted|gone) (?:all )?(?:of )?(?:my|our) (?:\w+ )?(?:recordings?|data|files|photos|contacts|messages|money|savings|work|shows|programmes|programs)",
        r"took (?:me |us )?(?:over |nearly |almost )?(?:an? |\d+ |two |three |four |several |many )?(?:hour|hours|days|weeks|months|ages|forever)",
        r"(?:reboots|restarts|resets|turns off|switches off|drops out|cuts out|disconnects|goes off|shuts down|crashes|freezes) (?:itself |on its own |by itself )?(?:every|each|at|randomly|constantly|all the time|for no reason)",
        r"(?:for|on) (?:a|an|the) (?:\w+ ){0,2}(?:i|we) (?:already |had )?(?:cancell?ed|returned|closed|don't have|do not have|never (?:used|ordered|had|received))",
        r"(?:extra|unknown|unexpected|unrecogni[sz]ed|hidden|additional|mystery|strange|random|unexplained) (?:\w+ )?(?:charges?|fees?|amounts?|payments?|transactions?|debits?)",
        r"(?:charge|charges|payment|transaction|purchase|debit)s? (?:that )?(?:i|we) (?:did not|didn't|never|don't|do not) (?:make|do|recogni[sz]e|authori[sz]e|order|buy)",
        r"without (?:a |any )?(?:reason|explanation|warning)",
        r"locked out",
        r"(?:you|they) owe (?:me|us)",
        r"nothing (?:is|has|'s) (?:been )?(?:happening|happened|done|changed|moving)",
        r"(?:have|has|had) not (?:\w+ )?(?:helped|assisted|contacted|called|responded|replied|answered|heard)|(?:haven't|hasn't|hadn't) (?:\w+ )?(?:helped|assisted|contacted|called|responded|replied|answered|heard)",
        r"(?:no ?one|nobody) (?:ever )?(?:answers|answered|picks up|picked up|calls|returns|returned|replies|replied|responds|responded)",
        r"(?:someone|somebody) (?:has )?(?:\w+ ){0,4}in my name",
        r"argu(?:e|ed|ing) with (?:me|us)",
        r"(?:affect|affects|affecting|affected|hurt|hurts|hurting|damage|damaged|damaging|ruin|ruined|ruining|impact|impacted|impacting|lower|lowered|drop|dropped|tank|tanked) (?:\w+ )?my (?:credit|score|credit score|credit report|rating)",
        r"would (?:not|never) have (?:agreed|signed|accepted|bought|taken|paid|chosen)",
        r"(?:was|were|is|are) supposed to [^.?!]{0,80}\b(?:but|never|neither|not)\b",
        r"(?:had|having|have|has) (?:\w+ )?(?:trouble|difficulty|difficulties|problems|issues) (?:with|getting|using|paying|accessing|logging|making)",
        r"(?:was|were|am|are|is) (?:never |not )(?:told|informed|notified|advised|given|warned|made aware)|(?:didn't|did not|never|failed to) (?:tell|inform|notify|advise|disclose|explain|warn|mention)",
        r"(?:is|was|are|were) not (?:mine|ours|my (?:account|loan|debt|card|order))",
        r"(?:forced|pressured|made) (?:me|us) (?:to |into )?(?:sign|pay|accept|buy|take|add)",
        r"blocked (?:my|me|our)",
        r"exceed(?:s|ed|ing)? (?:the )?(?:\w+ )?(?:legal |state |federal |usury )?(?:limits?|cap|maximum)",
        r"caus(?:ed|ing|es|e) (?:me |us )?(?:\w+ )?(?:fees|stress|harm|problems|damage|hardship|overdrafts?|issues|losses|charges)",
        r"(?:should|shouldn't|should not|must not) (?:not )?be (?:allowed|legal|permitted)|against the law|not legal",
        r"(?:doesn't|does not|didn't|did not|don't|do not) make (?:any )?sense",
        r"still (?:not|no|n't|hasn't|haven't|isn't|aren't|wasn't|won't|doesn't|don't|can't|waiting|charging|broken|down|happening|getting charged|having (?:problems|issues|trouble)|the same|on my (?:bill|account|statement)|showing|dropping|being charged|unresolved|nothing|paying|sits|owe|owing|reporting|charging)",
        r"(?:i've|i have|we've|we have|i'm|i am|been) (?:been )?(?:still )?(?:waiting|chasing)",
        r"(?:i've|i have|we've|we have) been (?:trying|calling|asking|emailing|paying)",
    ],
    "persistence": [
        r"(?:yet )?again\b",
        r"(?:second|third|fourth|fifth|sixth|2nd|3rd|4th|5th|6th|nth|umpteenth|hundredth|millionth) time",
        r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|multiple|countless|numerous|dozens? of|a dozen|a few) (?:times|calls|emails|e-mails|messages|attempts|occasions)",
        r"(?:called|rang|phoned|contacted|emailed|e-mailed|chatted|written|wrote|tried|asked|complained|reported|explained) [^.?!]{0,25}\b(?:twice|repeatedly|times|before|already|over and over)",
        r"(?:every|each) (?:single )?(?:day|night|time|week|month|evening|morning|hour)",
        r"(?:for|over|in) (?:a|one|two|three|four|five|six|several|many|a few|a couple of|\d+) (?:days|weeks|months|years|hours|week|month)\b",
        r"(?:weeks|months|days|hours|ages) (?:now|later|on end)",
        r"(?:kept|keep|keeps|keeping) (?:on )?(?:trying|calling|chasing|asking|emailing|paying)",
        r"(?:already|repeatedly) (?:tried|done|swapped|restarted|rebooted|reset|called|paid|asked|sent|explained|told|contacted|reported|complained)",
        r"over and over|time and (?:time )?again|repeatedly|constantly|non-?stop",
        r"since (?:last|early|the) (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday|update|change)",
        r"even though|despite (?:the fact|my|me|having|never|being|paying|making)|although i (?:have|had|paid|made|called|asked)",
    ],
    "demand": [
        r"(?:i|we) (?:want|need|demand|expect|deserve|would like|'d like) (?:a |my |our |an? )?(?:full )?(?:refund|money back|compensation|apology|explanation|credit|reimbursement)",
        r"(?:give|pay|send) (?:me|us) (?:my|our|the|a) (?:money|refund)(?: back)?",
        r"refund (?:me|us|my|the|all|it|this)",
        r"(?:i|we) (?:want|need|would like|'d like) (?:\w+ ){1,4}(?:fixed|sorted|resolved|removed|refunded|credited|cancelled|canceled|reversed|waived|taken off|deleted|corrected)",
        r"(?:needs?|has|have|ought) to be (?:fixed|sorted|resolved|addressed|refunded|removed|stopped|investigated)",
        r"(?:fix|sort|resolve) (?:this|it|the problem|the issue)(?: out)? (?:now|immediately|asap|today|properly|once and for all)",
        r"(?:i|we) (?:demand|insist|expect)",
        r"(?:i|we) (?:want|would like|'d like|am going|'m going|need) to (?:leave|complain|file a complaint|make a complaint|escalate|speak to (?:a|your|the) (?:manager|supervisor))",
        r"(?:i|we) (?:want|am going|'m going) to cancel",
        r"(?:to|with|contact(?:ed|ing)?|call(?:ed|ing)?) (?:the )?(?:fcc|cfpb|ftc|ofcom|ombudsman|regulator|bbb|better business bureau|attorney general|trading standards|my lawyer|a lawyer|my attorney|an attorney|a solicitor|small claims|court)\b",
        r"(?:cancel|close|terminate) (?:my|our|the) (?:account|contract|service|subscription|plan|loan)",
        r"take (?:it|this|that|the (?:fee|charge|charges|fees)) off",
        r"(?:reverse|waive|remove|refund|drop|credit) (?:the|this|that|these|those|all|my|these) (?:\w+ )?(?:fee|fees|charge|charges|payment|payments|interest|penalty|penalties)",
        r"(?:fee|fees|charge|charges|money|payment|payments)s? (?:\w+ )?(?:refunded|reversed|removed|waived|credited|back)",
        r"(?:i'll|i will|i'm going to|i am going to|i'm gonna) (?:report|sue|cancel|leave|switch|complain|escalate|take (?:you|this|it) to)",
        r"(?:file|make|lodge|raise|submit) (?:a |an )?(?:formal |official )?complaint",
        r"(?:speak|talk) to (?:a|your|the) (?:manager|supervisor|someone (?:senior|in charge))",
        r"(?:let me|i want to|i'll|i will|i'm going to) leave without",
        r"(?:or|otherwise) (?:i'm|i am|i'll|i will) (?:leaving|cancelling|canceling|going)",
        r"(?:i'm|i am|we're|we are) (?:switching|leaving|moving) (?:to (?:another|a different|a new) )?(?:provider|providers|company|bank|network|supplier|carrier|elsewhere|you)",
        r"(?:i|we) (?:just )?want (?:\w+ ){0,3}to (?:work|be fixed|be sorted|be resolved|stop)",
        r"(?:please|can you|could you) (?:\w+ )?(?:remove|reverse|waive|refund|credit back|take off) (?:the|this|that|these|those|my|all)",
    ],
    "emotion": [
        r"fe{1,3}d up",
        r"(?:sick|tired) (?:and tired )?of",
        r"(?:at|reached) (?:my|the) wits'? end",
        r"(?:pissed|hacked|cheesed|ticked) off",
        r"(?:very|so|really|extremely|incredibly) (?:stressed|worried|upset|angry|annoyed|cross)",
        r"(?:i feel|i felt|feel|felt|feeling) (?:like )?(?:i'm |i am |i was )?(?:being )?(?:ignored|trapped|cheated|scammed|robbed|let down|taken advantage of|fobbed off|mugged off)",
        r"let down|fobbed off",
        r"(?:can't|cannot|couldn't) believe",
        r"(?:makes|made) me (?:so |really )?(?:angry|mad|sick|furious|upset)",
    ],
    "complaint_question": [
        r"how (?:is|was|can|could|would|are) (?:this|that|it|you|they|any of this) (?:be )?(?:even )?(?:acceptable|fair|legal|ok|okay|right|allowed|possible|justified|reasonable|good service)",
        r"how (?:can|could|dare) (?:you|they)",
        r"why (?:\w+ ){0,5}(?:pay|paying|charged|charge|charging|billed|billing)\b",
        r"how many (?:more )?times (?:do|have|must|am|will|should|did) (?:i|we)(?! \w+ (?:be able|can))",
        r"how (?:much )?longer",
        r"what (?:the (?:hell|heck)|on earth)",
        r"since when",
        r"are you (?:kidding|serious|joking|for real)",
        r"is (?:this|that) (?:some kind of |a )?joke",
        r"what am i (?:even )?paying for",
        r"who (?:thought|decided) (?:this|that)",
        r"what (?:is|'s) the point",
        r"when (?:is|will) (?:this|it|someone|anyone) (?:ever )?(?:going to |gonna )?(?:be )?(?:fixed|sorted|resolved|call me|get back)",
        r"where is my (?:refund|money|order|package|parcel|engineer|technician|call ?back)",
    ],
    "accusation": [
        r"(?:they|the company|the lender|the bank|the agent|the rep|the representative|you|your (?:company|staff|agent|rep|team|people)) (?:have |has |had )?(?:\w+ )?(?:refused|denied|lied|ignored|threatened|harassed|failed|misled|overcharged|cheated|tricked|scammed|kept|keep|continue|continued|won't|wouldn't|will not|would not|didn't|did not|never|refuse|deny|charged|took|withdrew|debited)\b",
        r"(?:you're|you are|they're|they are) (?:still )?(?:charging|billing|taking|ignoring|refusing)",
        r"charging (?:me|us|people|customers|everyone) (?:to|for)",
    ],
    "negated_problem": [
        r"(?:no|not a|not any|not one|without any|never had a|never had any|haven't had any|nothing) (?:\w+ )?(?:problems?|issues?|complaints?|trouble|worries|concerns?)",
        r"nothing (?:wrong|bad|to complain about)",
        r"(?:all|everything(?:'s)?|it's|its|that's|thats) (?:is )?(?:\w+ )?(?:good|fine|great|sorted|working|perfect|resolved|ok|okay)(?! until| but| except)",
        r"works? (?:fine|great|perfectly|well)|working (?:fine|great|perfectly|well|again)",
        r"no (?:rush|worries|problem|bother|hurry)",
        r"(?:not|never) (?:been )?(?:unhappy|disappointed|dissatisfied)",
    ],
    "info_request": [
        r"(?:how|where|when) (?:do|can|could|should|would|will) (?:i|we|you)\b",
        r"(?:can|could|would|will) you (?:please )?(?:tell|explain|let me know|send|show|check|confirm|advise)",
        r"(?:i'd|i would|we'd|we would) like to (?!complain|cancel|escalate|make a complaint|file|report|speak to (?:a|the|your) (?:manager|supervisor)|leave)\w+",
        r"is (?:it|there) (?:possible|a way|any way|an option)",
        r"do you (?:have|offer|sell|do|know|accept|support|provide|charge)",
        r"(?:what|which) (?:is|are|'s) (?:the|your|my)",
        r"(?:i|we) (?:want|need) to (?!complain|cancel|escalate|make a complaint|file|report|speak to (?:a|the|your) (?:manager|supervisor)|leave|be refunded|get (?:a|my) (?:refund|money))\w+",
        r"please (?:send|tell|let me know|advise|explain)",
        r"(?:wondering|wonder) (?:if|whether|how|what|when)",
        r"(?:looking|hoping) (?:for|to)",
        r"can i (?:get|have|use|add|change|pay|order|book|upgrade|move|keep|transfer|top up|check|make|see|set|roll|port|find|do|still)",
        r"how (?:much|long|many|often)",
    ],
}
"""Phrase cues (regular expressions over lower-cased text), by feature."""

# ---------------------------------------------------------------------------
# hotline_intensity
# ---------------------------------------------------------------------------

INTENSITY_PHRASES: dict[str, list[str]] = {
    "leave": [
        r"(?:switch|switching|switched|change|changing|move|moving|go|going) (?:to )?(?:another |a different |a new |other )?(?:provider|providers|supplier|company|companies|bank|carrier|network|lender)",
        r"switch(?:ing)? to (?:a competitor|another|someone else)",
        r"(?:take|taking) my (?:business|custom|money|account) (?:elsewhere|somewhere else|to)",
        r"(?:leave|leaving|left|quit|quitting|ditch|ditching|dump|dumping|drop|dropping) (?:you|you guys|this (?:company|provider|bank)|your (?:company|service))",
        r"(?:leave|leaving) without",
        r"i'?m leaving|i'll leave|i will leave|going to leave",
        r"find (?:another|a new|a different) (?:provider|company|bank|supplier|carrier|network)",
        r"go(?:ing)? elsewhere|competitors?",
        r"never (?:use|using|recommend|recommending|buy|buying) (?:you|this|your|them|from)",
        r"(?:last|final) (?:month|bill|payment) with you",
        r"looking (?:at|for|into) (?:other|another) (?:providers?|options|companies|banks)",
    ],
    "cancel": [
        r"cancel(?:l?ing|l?ed|s|lation)?\b",
        r"terminat(?:e|ing|ion)\b",
        r"close (?:my|our|the) (?:account|contract)",
        r"end (?:my|our|the) (?:contract|service|subscription)",
    ],
    "escalation": [
        r"\b(?:cfpb|consumer financial protection bureau|fcc|ftc|federal trade commission|ofcom|ombudsman|ombudsmen|regulators?|attorney general|better business bureau|bbb|trading standards|public utilit(?:y|ies) commission)\b",
        r"(?<!power of )\b(?:lawyers?|attorneys?|solicitors?|legal action|lawsuit|class action|small claims)\b",
        r"\b(?:sue|suing|sued)\b",
        r"(?:in|to|take (?:you|them|this|it) to) court\b|court (?:case|action|order)",
        r"report (?:you|this|them|it) to",
        r"\b(?:social media|twitter|facebook|tiktok|instagram|reddit|yelp|trustpilot)\b",
        r"(?:bad|negative|1[- ]star|one[- ]star) review",
        r"the (?:press|news|media)\b|newspapers?|local news",
        r"my (?:congressman|congresswoman|senator|mp|representative)\b",
        r"consumer (?:protection|affairs)|formal complaint",
    ],
    "repeat_contact": [
        r"(?:second|third|fourth|fifth|sixth|2nd|3rd|4th|5th|6th|nth|umpteenth|hundredth|millionth) time",
        r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|multiple|countless|numerous|dozens? of|a dozen) (?:times|calls|emails|e-mails|messages|attempts)",
        r"(?:called|rang|phoned|contacted|emailed|chatted|written|wrote|asked|complained) [^.?!]{0,25}\b(?:twice|again|before|already|repeatedly|times)\b",
        r"\bagain\b",
        r"keep (?:calling|ringing|chasing|asking|having to)",
        r"every (?:single )?time i (?:call|ring|contact|ask)",
        r"over and over|repeatedly",
    ],
    "profanity": [
        r"\b(?:damn|dammit|damnit|goddamn|goddam|crap|crappy|bloody|shit|shitty|bullshit|bs|wtf|ffs|fuck|fucking|fucked|effing|freaking|frigging|piss|pissed|bollocks|arse|asshole|bastards?|sucks|sucked|screwed)\b",
        r"the hell\b|hell of\b",
        r"(?<![\w*])(?:f\*{2,}[a-z]*|f\*+k\w*|f[*#@]ck\w*|s\*{2,}t?|sh\*t\w*|b\*{2,}[a-z]*|d\*{2,}[a-z]*|a\*{2,}[a-z]*|c\*{2,}[a-z]*|f-ing|f'ing)",
    ],
    "intensifier": [
        r"\b(?:absolutely|completely|totally|utterly|extremely|incredibly|seriously|ridiculously|unbelievably|thoroughly|entirely|insanely|disgustingly|outrageously)\b",
        r"\b(?:at all|whatsoever|beyond belief|never ever)\b",
    ],
    "hedge": [
        r"\b(?:a (?:bit|little|tad)|slightly|somewhat|kind of|sort of|a touch|fairly|rather|mildly)\b",
    ],
}
"""Intensity cue phrases (regular expressions over lower-cased text), by cue name."""

# Valence of words for ``span._.hi_sentiment``, in [-1, 1]. Lemmas, matched in
# their inflections; negation flips and halves (see hotline_intensity).
VALENCE: dict[str, float] = {
    # strongly negative
    **dict.fromkeys(
        """terrible awful horrible horrendous dreadful appalling atrocious abysmal disgusting
        disgraceful outrageous unacceptable pathetic worst scam fraud nightmare furious livid
        disgusted outraged hate shameful""".split(),
        -0.9,
    ),
    # negative
    **dict.fromkeys(
        """bad poor ridiculous useless hopeless worthless incompetent rude lousy rubbish unfair
        angry upset disappointed disappointing frustrated frustrating annoyed annoying unhappy
        dissatisfied wrong broken faulty defective unreliable predatory deceptive misleading
        dishonest illegal unprofessional shocking insulting greedy crap crappy joke mess shambles
        trapped cheated ignored stressed stressful helpless powerless fail failure ripoff rip-off
        overcharge excessive exorbitant mad sick gutted fuming nonsense waste damn bloody""".split(),
        -0.6,
    ),
    # mildly negative
    **dict.fromkeys(
        """problem issue error mistake glitch fault outage slow late delay lose lost missing
        drop crash freeze disconnect expensive confusing confused difficult hard worried
        concerned unclear unfortunately sadly stuck inconvenient inconvenience hassle
        complaint complain refuse deny struggle annoy""".split(),
        -0.35,
    ),
    # mildly positive
    **dict.fromkeys(
        """ok okay fine fair reasonable acceptable decent sorted resolved working helpful
        quick fast easy clear polite kind patient friendly nice good right""".split(),
        0.4,
    ),
    # positive
    **dict.fromkeys(
        """great perfect lovely brilliant excellent wonderful fantastic awesome amazing happy
        glad pleased satisfied love appreciate thank thanks superb outstanding delighted""".split(),
        0.7,
    ),
    # emoji
    "😡": -0.8, "🤬": -0.9, "😠": -0.7, "😤": -0.6, "😢": -0.5, "😭": -0.6, "😞": -0.5,
    "🙁": -0.4, "☹️": -0.4, "☹": -0.4, "👎": -0.6, "😒": -0.4, "🙄": -0.4, "💩": -0.6,
    "🙂": 0.4, "😊": 0.5, "👍": 0.5, "❤️": 0.6, "❤": 0.6, "😀": 0.5, "😃": 0.5, "🙏": 0.3,
}  # fmt: skip
"""The sentiment lexicon: word (lemma) -> valence in [-1, 1]."""
