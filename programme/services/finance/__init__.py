"""The business case's money (issue 20): budget lines, spend against them, and the finance
page's figures. One module per use case."""
