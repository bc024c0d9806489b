"""A clinician on the client's care team, fuzzing the API; Sam, a colleague off the team, replays
(tests/fuzzing.py). Left out of the quick loop and the PostgreSQL run: `make test`'s SQLite run."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import fuzzing

pytestmark = [pytest.mark.fuzz, pytest.mark.usefixtures("api_in_process")]


@pytest.mark.parametrize("operation", fuzzing.OPERATIONS, ids=fuzzing.label)
@fuzzing.FUZZ
@given(data=st.data())
def test_a_clinician_gets_documented_answers_and_a_colleague_off_the_team_gets_nothing(
    operation, data, alex, maya, sam
):
    fuzzing.send(data.draw(fuzzing.requests_for(operation)), alex, maya, sam)


def test_the_fuzzing_covers_every_route():
    assert len(fuzzing.OPERATIONS) >= 50
