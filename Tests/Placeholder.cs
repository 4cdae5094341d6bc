namespace Autodiff.Tests { }
