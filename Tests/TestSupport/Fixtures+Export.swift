// The tests import TestSupport for the fixture samples, which live in the Fixtures target so
// that the benchmark programs can use them without linking test code.
@_exported import Fixtures
