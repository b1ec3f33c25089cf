"""boto3 as seen by rules run in ruleatlas: importable (helpers import it at the top), but every
AWS call fails, since the runner has no network and no credentials. Rules reach AWS only through
helpers that Panther's tests mock.
"""


class NoAwsError(RuntimeError):
    pass


def _refuse(*args, **kwargs):
    raise NoAwsError("AWS is not reachable from ruleatlas's Python runner")


client = resource = _refuse


class Session:
    def __init__(self, *args, **kwargs):
        pass

    client = resource = _refuse
