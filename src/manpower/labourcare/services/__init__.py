"""Every write of labour care, one module per use-case area. Callers write
`from manpower.labourcare import services` and find every public function and exception here.
"""
