"""Our own short lists for quick logging: emotions, body cues, responses. Clients may add words."""

from django.utils.translation import gettext_lazy as _

EMOTIONS = {
    # felt threat
    "lonely": _("lonely"),
    "anxious": _("anxious"),
    "afraid": _("afraid"),
    "rejected": _("rejected"),
    "left_out": _("left out"),
    "ashamed": _("ashamed"),
    "embarrassed": _("embarrassed"),
    "guilty": _("guilty"),
    "hurt": _("hurt"),
    "sad": _("sad"),
    "angry": _("angry"),
    "frustrated": _("frustrated"),
    "jealous": _("jealous"),
    "overwhelmed": _("overwhelmed"),
    "numb": _("numb"),
    "confused": _("confused"),
    # connection
    "calm": _("calm"),
    "safe": _("safe"),
    "close": _("close"),
    "loved": _("loved"),
    "seen": _("seen and understood"),
    "grateful": _("grateful"),
    "relieved": _("relieved"),
    "hopeful": _("hopeful"),
    "content": _("content"),
    "proud": _("proud"),
}

BODY_CUES = {
    "chest": _("tight chest"),
    "stomach": _("knot in the stomach"),
    "throat": _("lump in the throat"),
    "heat": _("hot or flushed"),
    "heart": _("racing heart"),
    "breath": _("fast or shallow breathing"),
    "tense": _("tense jaw, neck or shoulders"),
    "shaky": _("shaky"),
    "tearful": _("tearful"),
    "heavy": _("heavy or tired"),
    "numb": _("numb or far away"),
    "warm": _("warm and settled"),
}

RESPONSES = {
    "sought_reassurance": _("sought reassurance"),
    "checked": _("checked messages or their phone again and again"),
    "protested": _("protested or argued"),
    "withdrew": _("withdrew or went quiet"),
    "shut_down": _("shut down"),
    "distracted": _("distracted myself"),
    "paused": _("paused before reacting"),
    "asked": _("asked for what I needed"),
    "soothed": _("soothed myself"),
    "reached_out": _("reached out to someone else"),
    "stayed": _("stayed with the feeling"),
    "enjoyed": _("let myself enjoy the closeness"),
}
