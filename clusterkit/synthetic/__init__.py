"""Generators with planted truth, one per thing they imitate.

They sit above the layers they imitate (DESIGN §4): a generator may use the attribution
models to compute its planted shares, but nothing in the pipeline imports a generator.

=========================  ==============================================================
:mod:`.community`          members, events and follows with planted communities and roles
                           (:func:`generate`, the demo's data)
:mod:`.identity`           persons with several noisy accounts (:func:`generate_accounts`)
:mod:`.journeys`           journeys with planted channel effects (:func:`generate_journeys`)
:mod:`.campaign`           a campaign with planted blogger effects
=========================  ==============================================================

Examples
--------
>>> from clusterkit.synthetic import generate
>>> synth = generate(200, seed=1)
>>> sorted(synth.tables)
['events', 'follows', 'identities', 'members']
"""

from clusterkit.synthetic.community import SyntheticData, generate

__all__ = ["SyntheticData", "generate"]
