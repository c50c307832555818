"""The op families Tensor's operators and methods are made of: elementwise arithmetic,
reductions, shape ops and matrix products (each a `Function` on raw arrays).

They sit below `tensor.py`, which runs them with `apply`; their lowercase wrappers
(`add`, `sum`, `reshape`, `matmul`, ...) are in `numnet.functional`.
"""
