# One colour per delay cause, in the order of models/racks.h.
cause_colours = "#8c564b #9467bd #17becf #bcbd22 #d62728 #7f7f7f"
cause_colour(i) = word(cause_colours, i)
