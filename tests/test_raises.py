"""The bad-input assertion itself fails where it must."""
import pytest
from raises import assert_raises_exactly


def fail(error, message):
    def call():
        raise error(message)
    return call


def test_the_exact_error_and_message_pass():
    assert_raises_exactly(fail(ValueError, "d must be positive; got 0"), ValueError, r"d must be positive; got 0")


@pytest.mark.parametrize(
    "call",
    [
        fail(ValueError, "width must be positive; got 0"),  # another argument named
        fail(ValueError, "d must be positive"),  # what came is not said
        fail(TypeError, "d must be positive; got 0"),  # another type
        fail(UnicodeError, "d must be positive; got 0"),  # a subclass of ValueError
        lambda: None,  # nothing raised
    ],
    ids=["other argument", "no got", "other type", "subclass", "no error"],
)
def test_anything_else_fails(call):
    # a wrong message or a subclass fails the assertion; another type propagates; no error fails the test
    with pytest.raises((AssertionError, TypeError, pytest.fail.Exception)):
        assert_raises_exactly(call, ValueError, r"d must be positive; got 0")
