"""Every read of labour care, one module per area (complaints, absconding, inspections). Callers
import the module they need: `from manpower.labourcare.selectors import complaints`."""
