"""One namespace per part of the API, as `client.characters`, `client.voices`, ..."""

from orangeweb.orangeclone.resources.batch import Batch
from orangeweb.orangeclone.resources.characters import Characters
from orangeweb.orangeclone.resources.dubbing import Dubbing
from orangeweb.orangeclone.resources.scripts import Scripts
from orangeweb.orangeclone.resources.voices import Voices

__all__ = ["Batch", "Characters", "Dubbing", "Scripts", "Voices"]
