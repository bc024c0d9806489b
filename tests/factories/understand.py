"""Understanding: people in the client's circles, their ratings, and moments, as plain rows."""

import factory
from django.utils import timezone

from securebase.understand.models import Moment, Person, PersonRating
from tests.factories.care import ClientFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    client = factory.SubFactory(ClientFactory)
    name = "Sol"
    circle = Person.Circle.INNER


class PersonRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonRating

    person = factory.SubFactory(PersonFactory)
    reassurance = 2
    criticism = 2
    withdrawal = 2
    reliability = 2


class MomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Moment

    client = factory.SubFactory(ClientFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = Moment.Kind.THREAT
