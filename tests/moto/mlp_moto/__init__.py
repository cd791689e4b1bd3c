"""What tests/moto/launcher.py adds to moto 5.2.5 (a package: moto's model metaclass files each
model class under the second part of its module's dotted name)."""
