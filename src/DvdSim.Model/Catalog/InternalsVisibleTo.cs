using System.Runtime.CompilerServices;

// The catalogue tests check the title vocabulary (disjoint word lists) directly.
[assembly: InternalsVisibleTo("DvdSim.Model.Tests")]
