"""The `duration` and `fileSizeMB` a client declares in `POST /dubbing_transcribe`, against
what the sandbox measured.

Our reading (in the style of CONTRACT.md, *assumed*): both are the client's own description of
the upload. The documented example sends round numbers (`"duration": 120, "fileSizeMB": 50`),
so a real client rounds, and the sandbox accepts every value a rounding could give. It refuses
only a declaration that would dodge a cap or a charge, or that can only be a unit mistake:

- `duration` (seconds): refused when shorter than the measured duration by more than 1 s
  (rounding to the second, up, down or to the nearest, stays within that).
- `fileSizeMB`: refused when smaller than the size truncated to whole megabytes in the smaller
  unit (MiB: the lowest value any rounding to MB or MiB gives).
- Either: a larger value dodges nothing and is accepted, up to 500 x the measured value (or
  its rounding up, for tiny files); beyond is a unit mistake, which is 1000 x or more
  (milliseconds for seconds; KB, KiB or bytes for MB). So a 170 KB file may be declared as
  0.17 or 1 MB, or as the docs' 50, but not as 170 or 170000; a 16 s video as 16, 15 or the
  docs' 120 s, but not as 16000 or 14.
- Zero is what rounding to the nearest whole unit gives for a tiny file (0.17 MB -> 0), so
  0 is accepted where it is within a rounding; negative values never are.
- The tier's duration cap applies to the measured duration rounded to the second (a
  "2-minute" export that measures 120.02 s is 2 minutes), and the job is billed on the
  measured duration: the declared one is never charged.
"""

from __future__ import annotations

import math

from orangeweb.sandbox.errors import ApiError, bad_request

DURATION_ROUNDING_SECONDS = 1.0
# Half of the smallest unit mistake (1000 x): catches every one, and nothing else.
UNIT_MISTAKE_FACTOR = 500
MB = 1_000_000
MIB = 1024**2
# Floating-point noise (a probe's 3.0000001 s) must not decide a rounding.
_EPSILON = 1e-6


def _largest_honest(measured: float) -> float:
    return max(math.ceil(measured - _EPSILON), UNIT_MISTAKE_FACTOR * measured, 1)


def check_declared_duration(declared: float, measured: float) -> None:
    """Refuse a declared duration that dodges the measured one or has the wrong unit."""
    if declared < measured - DURATION_ROUNDING_SECONDS - _EPSILON:
        raise bad_request(
            f"duration {declared:g} is shorter than the media ({measured:.2f} s) by more than "
            "a rounding; send the duration in seconds"
        )
    if declared > _largest_honest(measured):
        raise bad_request(
            f"duration {declared:g} does not match the media ({measured:.2f} s); "
            "send the duration in seconds"
        )


def check_declared_size(declared_mb: float, size_bytes: int) -> None:
    """Refuse a declared size below any rounding of the upload, or with the wrong unit."""
    smallest = math.floor(size_bytes / MIB + _EPSILON)
    if declared_mb < smallest - _EPSILON or declared_mb > _largest_honest(size_bytes / MB):
        raise bad_request(
            f"fileSizeMB {declared_mb:g} does not match the upload "
            f"({size_bytes / MB:.2f} MB); send the size in megabytes"
        )


def check_duration_cap(tier: str, cap: float | None, measured: float) -> None:
    """403 when the measured media is longer than the tier allows (documented caps)."""
    if cap is not None and measured >= cap + 0.5:  # over the cap once rounded to the second
        raise ApiError(
            403,
            f"media is {measured:.1f} s long; the {tier} tier allows at most {cap / 60:g} minutes",
        )
