"""The judgement layer: cue patterns over word classes and the scope of a cue (negation,
quotation, question, condition, placeholder).  Imports only :mod:`csstandards.text` and
:mod:`csstandards.lexicon` (and the shared errors), never a rule or a domain."""
