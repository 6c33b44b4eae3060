// The browser tests share two cores with the dashboards they start: one test class at a time keeps timings sane.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
