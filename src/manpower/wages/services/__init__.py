"""Every write of the Wage Protection System, one module per use-case area (today: salary files,
received then checked). Callers write `from manpower.wages import services` and find every
public function and exception here.
"""

from .files import (
    BankUnknown,
    EmployerUnknown,
    OtherEmployersFile,
    SalaryFileStatusChange,
    salary_file_check,
    salary_file_receive,
    salary_files_resume,
)

__all__ = [
    "BankUnknown",
    "EmployerUnknown",
    "OtherEmployersFile",
    "SalaryFileStatusChange",
    "salary_file_check",
    "salary_file_receive",
    "salary_files_resume",
]
