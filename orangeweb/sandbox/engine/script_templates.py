"""The phrase banks of the script composer: per template, the lines of a monologue and the
exchanges of a dialogue; per tone, the flourishes. Pure data.

Placeholders: {topic} (the context's gist), {kw} (one of its keywords), {me} (the speaking
character's name), {you} (the character spoken to).
"""

from __future__ import annotations

from dataclasses import dataclass

# A dialogue exchange: the first speaker's line, then the answer of the next speaker.
Exchange = tuple[str, str]


@dataclass(frozen=True)
class TemplateBank:
    openings: tuple[str, ...]  # monologue: first line
    points: tuple[str, ...]  # monologue: body lines, one per keyword/beat
    closings: tuple[str, ...]  # monologue: last line
    dialogue_openings: tuple[Exchange, ...]
    dialogue_points: tuple[Exchange, ...]
    dialogue_closings: tuple[Exchange, ...]


TEMPLATES: dict[str, TemplateBank] = {
    "youtube_ad": TemplateBank(
        openings=(
            "Hey there, I'm {me}, and if you care about {topic}, you need to hear this.",
            "Stop scrolling for a second: {me} here, with something about {topic}.",
        ),
        points=(
            "Here's the thing about {kw}: it should be simple, and now it is.",
            "Thousands of people already use it for {kw}, and they never looked back.",
            "It takes about a minute to set up, and {kw} just works from day one.",
            "No hidden fees, no long contracts, just better {kw}.",
        ),
        closings=(
            "Click the link below, try it today, and tell me what you think.",
            "Hit the link in the description and see it for yourself.",
        ),
        dialogue_openings=(
            ("{you}, have you heard about the new way to handle {topic}?", "No, {me}, tell me!"),
        ),
        dialogue_points=(
            ("It makes {kw} ridiculously easy.", "Wait, even for someone like me?"),
            ("Especially for you. {kw} used to take hours.", "And now it takes minutes? I'm in."),
            ("No contracts, no hidden fees on {kw}.", "That's the part I like best."),
        ),
        dialogue_closings=(
            ("So where do people sign up, {you}?", "Right there, in the link below. Try it today!"),
        ),
    ),
    "podcast_intro": TemplateBank(
        openings=(
            "Welcome back to the show, I'm {me}, and today we're diving into {topic}.",
            "Hello and welcome, this is {me}, and this episode is all about {topic}.",
        ),
        points=(
            "Later in the episode we'll look closely at {kw} and why it matters.",
            "We'll also hear what listeners told us about {kw}.",
            "And I'll share a few surprises I found while reading up on {kw}.",
        ),
        closings=(
            "So grab a coffee, get comfortable, and let's get started.",
            "Stay with us, because it's going to be a good one.",
        ),
        dialogue_openings=(
            ("Welcome to the show, everyone! I'm {me}, here with {you}.", "Great to be here."),
        ),
        dialogue_points=(
            ("Today's topic is {topic}. Where do we even begin?", "Let's begin with {kw}."),
            ("Why {kw}, {you}?", "Because everything else builds on {kw}."),
            ("Our listeners sent a lot of questions about {kw}.", "We'll get to all of them."),
        ),
        dialogue_closings=(
            ("Anything before we jump in, {you}?", "Just that it's going to be a fun episode."),
        ),
    ),
    "tutorial": TemplateBank(
        openings=(
            "Hi, I'm {me}, and in this tutorial you'll learn the basics of {topic}.",
            "In this short guide, {me} walks you through {topic}, step by step.",
        ),
        points=(
            "Step {n}: start with {kw}, and take your time with it.",
            "Step {n}: now check your work on {kw} before moving on.",
            "Step {n}: a common mistake with {kw} is rushing, so go slowly.",
        ),
        closings=(
            "And that's it: practise once more, and you'll have it down.",
            "That's all the steps; pause the video and try it yourself.",
        ),
        dialogue_openings=(
            ("{you}, ready to learn about {topic}?", "Ready, {me}. Where do I start?"),
        ),
        dialogue_points=(
            ("Step {n} is {kw}. Try it now.", "Okay, done. That was easier than I thought."),
            ("Step {n}: double-check your {kw}.", "Looks right to me."),
            ("Step {n}: don't rush the {kw} part.", "Got it, slow and steady."),
        ),
        dialogue_closings=(
            ("And that's the whole process, {you}.", "Thanks, {me}, I can do this on my own now."),
        ),
    ),
    "storytelling": TemplateBank(
        openings=(
            "Once upon a time, not so far away, {me} heard a story about {topic}.",
            "Let me, {me}, tell you a story. It begins with {topic}.",
        ),
        points=(
            "At first, nobody paid much attention to the {kw}.",
            "Then one morning, everything about the {kw} changed.",
            "People came from every corner of town to see the {kw} for themselves.",
            "Even years later, they still talk about the {kw}.",
        ),
        closings=(
            "And that is how the story ends, or perhaps, how it begins.",
            "And they remembered it for the rest of their lives.",
        ),
        dialogue_openings=(
            ("{you}, do you remember the story of {topic}?", "Tell it again, {me}, please."),
        ),
        dialogue_points=(
            ("It all started with the {kw}.", "What was so special about the {kw}?"),
            ("Nobody believed in the {kw} at first.", "But they changed their minds?"),
            ("One morning, the {kw} changed everything.", "I can almost see it."),
        ),
        dialogue_closings=(
            ("And that's the whole story, {you}.", "What a story, {me}. Thank you."),
        ),
    ),
    "sales_pitch": TemplateBank(
        openings=(
            "Hello, I'm {me}, and I'd like two minutes of your time to talk about {topic}.",
            "Thanks for meeting with me. I'm {me}, and I'm here about {topic}.",
        ),
        points=(
            "Most teams lose hours every week on {kw}; we give those hours back.",
            "Our customers cut their {kw} costs by a third in the first quarter.",
            "Setting up {kw} takes a day, and our team does the heavy lifting.",
            "And if {kw} doesn't improve, you don't pay.",
        ),
        closings=(
            "Shall we set up a short demo next week?",
            "Can I send you a proposal this afternoon?",
        ),
        dialogue_openings=(
            (
                "Thanks for your time, {you}. I'm here about {topic}.",
                "Go ahead, {me}, I'm listening.",
            ),
        ),
        dialogue_points=(
            ("How much time does your team spend on {kw}?", "Honestly? Too much."),
            ("We cut {kw} costs by a third for teams like yours.", "That's a bold claim."),
            ("And if {kw} doesn't improve, you don't pay.", "Now you have my attention."),
        ),
        dialogue_closings=(("Can we book a demo next week, {you}?", "Let's do Tuesday, {me}."),),
    ),
    "interview": TemplateBank(
        openings=(
            "I'm {me}, and today I'm answering your questions about {topic}.",
            "This is {me}, and this is my side of the story on {topic}.",
        ),
        points=(
            "People often ask me about {kw}, and my answer is always the same: start small.",
            "The hardest part of {kw} was the first year.",
            "What I've learned about {kw} is that patience beats talent.",
        ),
        closings=(
            "Thanks for the questions; keep them coming.",
            "That's all from me for today.",
        ),
        dialogue_openings=(
            (
                "Welcome, {you}, and thanks for joining me to talk about {topic}.",
                "Thanks for having me, {me}.",
            ),
        ),
        dialogue_points=(
            (
                "What first got you interested in {kw}?",
                "Curiosity, mostly. {kw} seemed like a puzzle.",
            ),
            (
                "What was the hardest part of {kw}?",
                "The first year. Everything about {kw} was new.",
            ),
            ("What would you tell someone starting out with {kw}?", "Start small, and be patient."),
        ),
        dialogue_closings=(("{you}, thank you for your time.", "It was a pleasure, {me}."),),
    ),
    "comedy": TemplateBank(
        openings=(
            "Hi, I'm {me}, and I have some thoughts about {topic}. Mostly complaints.",
            "Good evening! {me} here. Let's talk about {topic}, because somebody has to.",
        ),
        points=(
            "Ever tried explaining {kw} to your grandmother? She explained it back. Better.",
            "I read a book about {kw}. Well, the cover. The cover was very convincing.",
            "They say {kw} is easy. They also said the glue was edible.",
        ),
        closings=(
            "You've been great. I've been {me}. Please tip your waiter.",
            "That's my time, good night!",
        ),
        dialogue_openings=(
            ("{you}, I finally understand {topic}.", "Really, {me}? Explain it to me."),
        ),
        dialogue_points=(
            ("So, {kw}. It's simple.", "Then why are you sweating?"),
            ("I read everything about {kw}.", "The whole book?"),
            ("Well, the cover. Very convincing cover.", "I knew it."),
            ("My grandmother explained {kw} to me.", "And what happened?"),
            ("Now she runs the company.", "That tracks."),
        ),
        dialogue_closings=(("We'll be here all week, {you}.", "Please don't remind them, {me}."),),
    ),
    "motivational": TemplateBank(
        openings=(
            "I'm {me}, and I want to talk to you about {topic}, and about you.",
            "Listen. This is {me}, and today is the day you take on {topic}.",
        ),
        points=(
            "Every expert in {kw} was once a beginner who refused to quit.",
            "You don't need to be great at {kw} to start; you need to start to be great.",
            "When {kw} gets hard, that's the moment you are growing.",
            "Small steps in {kw}, every single day, add up to something enormous.",
        ),
        closings=(
            "So stand up, take the first step, and don't look back.",
            "Your moment is now. Go and take it.",
        ),
        dialogue_openings=(
            ("{you}, I know {topic} feels impossible right now.", "It really does, {me}."),
        ),
        dialogue_points=(
            ("Every expert in {kw} was once a beginner.", "Even the best?"),
            ("Especially the best. They just didn't quit on {kw}.", "So I shouldn't either."),
            ("One small step in {kw} today. That's all.", "One step. I can do that."),
        ),
        dialogue_closings=(("Are you ready, {you}?", "I'm ready, {me}. Let's go."),),
    ),
}

# Used when no template is given: a plain, neutral talk.
GENERAL = TemplateBank(
    openings=("Hello, I'm {me}, and I'd like to tell you about {topic}.",),
    points=(
        "First, a few words about {kw}.",
        "There's more to {kw} than most people think.",
        "It's worth taking a closer look at {kw}.",
    ),
    closings=("Thanks for listening.",),
    dialogue_openings=(("Hi {you}, shall we talk about {topic}?", "Sure, {me}, let's do it."),),
    dialogue_points=(
        ("What do you think about {kw}?", "I think {kw} deserves more attention."),
        ("Why is that?", "Because {kw} touches everything else."),
    ),
    dialogue_closings=(("Thanks, {you}.", "Any time, {me}."),),
)


@dataclass(frozen=True)
class ToneBank:
    openers: tuple[str, ...]  # put in front of the first line
    connectors: tuple[str, ...]  # put in front of some body lines
    sign_off: str  # added after the last line


TONES: dict[str, ToneBank] = {
    "professional": ToneBank(
        openers=("Good day.", "Thank you for your time."),
        connectors=("Importantly,", "In addition,", "Furthermore,"),
        sign_off="Thank you.",
    ),
    "casual": ToneBank(
        openers=("Hey!", "Hi folks!"),
        connectors=("So,", "Anyway,", "Oh, and"),
        sign_off="Catch you later!",
    ),
    "humorous": ToneBank(
        openers=("Okay, try not to laugh.", "Brace yourselves."),
        connectors=("Believe it or not,", "Plot twist:", "And, no joke,"),
        sign_off="I'll be here all week!",
    ),
    "dramatic": ToneBank(
        openers=("Listen closely.", "It was a night like no other."),
        connectors=("And then,", "Suddenly,", "But beware:"),
        sign_off="And nothing was ever the same again.",
    ),
}
NEUTRAL_TONE = ToneBank(openers=("",), connectors=("",), sign_off="")
