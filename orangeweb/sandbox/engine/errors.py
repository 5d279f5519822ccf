"""The engine's one error type for bad input media."""


class MediaError(Exception):
    """The media cannot be used. The message is user-facing, e.g. "not a decodable audio file"."""
