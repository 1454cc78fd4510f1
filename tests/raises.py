"""Bad input fails clearly: the exact exception type, and a message that names the argument,
says what was expected and what came (as tests/test_bad_input.py pins them)."""
import pytest


def assert_raises_exactly(call, error, message):
    """``call()`` raises ``error`` itself (not a subclass) with a message matching the regex ``message``."""
    with pytest.raises(error, match=message) as info:
        call()
    assert type(info.value) is error, f"raised {type(info.value).__name__}, a subclass of {error.__name__}"
