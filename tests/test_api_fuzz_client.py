"""The client themself, fuzzing the API; Priya, another client, replays (tests/fuzzing.py). Left
out of the quick loop and the PostgreSQL run: `make test`'s SQLite run."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import fuzzing

pytestmark = [pytest.mark.fuzz, pytest.mark.usefixtures("api_in_process")]


@pytest.mark.parametrize("operation", fuzzing.OPERATIONS, ids=fuzzing.label)
@fuzzing.FUZZ
@given(data=st.data())
def test_a_client_gets_documented_answers_and_another_client_gets_nothing(
    operation, data, maya, priya
):
    fuzzing.send(data.draw(fuzzing.requests_for(operation)), maya.user, maya, priya.user)
