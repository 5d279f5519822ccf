"""The atempo filter chain (pure; fitting real speech is in tests/integration/sandbox_engine)."""

import numpy as np
import pytest

from orangeweb.sandbox.engine.ffmpeg import atempo_chain


@pytest.mark.parametrize(
    ("factor", "stages"),
    [(1.5, [1.5]), (3.0, [2.0, 1.5]), (5.0, [2.0, 2.0, 1.25]), (0.3, [0.5, 0.6])],
)
def test_atempo_chain_splits_large_factors(factor: float, stages: list[float]) -> None:
    chain = atempo_chain(factor)

    values = [float(stage.removeprefix("atempo=")) for stage in chain.split(",")]
    assert values == pytest.approx(stages)
    assert np.prod(values) == pytest.approx(factor)
