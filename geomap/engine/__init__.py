"""Extraction, table ingest and cache refresh on a Dask cluster (the optional
``geomap[dask]`` extra).

* :mod:`~geomap.engine.client` opens a client: ``local:N`` (a LocalCluster of
  N processes, one thread each) or a scheduler address;
* :mod:`~geomap.engine.plugin` opens the gazetteer, its name index, a geocoder
  and a geocode-cache shard once per worker (only paths cross processes);
* :mod:`~geomap.engine.tasks` is what runs on a worker: a batch of articles,
  a batch of cache keys;
* :mod:`~geomap.engine.extract` and :mod:`~geomap.engine.refresh` are the
  jobs: batches out, results back in order, shards merged into the cache;
* :mod:`~geomap.engine.frame` gives events as a dask GeoDataFrame;
* ingest: :mod:`~geomap.engine.tables` checks each table and plans it,
  :mod:`~geomap.engine.ranges` cuts it into ranges of whole records,
  :mod:`~geomap.engine.parts` is what a worker runs on a range (rows parsed,
  checked, named and written as Parquet parts), :mod:`~geomap.engine.settle`
  applies the store's id rules over the whole run, and
  :mod:`~geomap.engine.ingest` is the job (it merges the rows of one event
  with :mod:`geomap.dataset.dedup` and writes the dataset).

Nothing here is imported by ``import geomap``; dask is imported only when a
cluster is asked for.
"""
